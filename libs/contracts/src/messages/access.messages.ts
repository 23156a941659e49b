import { PagedQuery } from './pagination';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { PERMISSIONS, ROLES } from '../security/permissions';
import { IntBetween, OptionalText, OptionalTimestamp } from '../fields';

/**
 * Workspaces and API keys: the HTTP bodies the gateway validates, the
 * commands it sends to security-manager (the body plus the caller, as the
 * gateway established it), and the views security-manager answers.
 */

/**
 * A workspace id appears in topic names (baton.agent.tasks.<workspace>.<agent>,
 * baton.events.ingress.<workspace>), so it is a lowercase slug.
 */
export const WORKSPACE_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;
/** Ids Baton itself uses: `system` is the workspace of platform messages. */
export const RESERVED_WORKSPACE_IDS: readonly string[] = ['system', 'platform', 'baton'];

/** Every Baton API key starts with this, so secret scanners can recognise one. */
export const API_KEY_PREFIX = 'bk_';
/** The longest grace a rotation may give the old key: 30 days. */
export const MAX_ROTATION_GRACE_SECONDS = 30 * 24 * 3600;

/** Who asks, as the gateway established it from the credential; never from a request body. */
export class ActorRef {
  @IsString()
  @MaxLength(300)
  principal!: string;

  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  roles!: string[];

  /** When the credential is narrowed to some permissions (a scoped key). */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PERMISSIONS.length)
  @IsString({ each: true })
  scopes?: string[];

  @OptionalText(200)
  credential_id?: string;
}

export class CreateWorkspaceRequest {
  @Matches(WORKSPACE_ID, {
    message: 'id: must be 2-63 characters of a-z, 0-9 and -, starting with a letter or digit',
  })
  id!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name!: string;
}

/**
 * PATCH: the name, checked as CreateWorkspaceRequest checks it (a spec holds
 * the two together). Written out, not derived with PartialType: a class
 * without a decorated field of its own gets no OpenAPI schema from
 * class-validator-jsonschema, and the name is its only field.
 */
export class UpdateWorkspaceRequest {
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name?: string;
}

export class CreateWorkspaceCommand extends CreateWorkspaceRequest {
  @ValidateNested()
  @Type(() => ActorRef)
  actor!: ActorRef;
}

export class UpdateWorkspaceCommand extends UpdateWorkspaceRequest {
  @IsString()
  @MaxLength(63)
  id!: string;

  @ValidateNested()
  @Type(() => ActorRef)
  actor!: ActorRef;
}

/** Get, delete and purge name a workspace; unknown ids are 404, whatever their form. */
export class WorkspaceIdCommand {
  @IsString()
  @MaxLength(63)
  id!: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => ActorRef)
  actor?: ActorRef;
}

export class ListWorkspacesQuery extends PagedQuery() {}

export type WorkspaceStatus = 'active' | 'deleted' | 'purged';

export interface WorkspaceView {
  id: string;
  name: string;
  status: WorkspaceStatus;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
  purged_at: string | null;
}

export class CreateApiKeyRequest {
  /** What the key is for, so a person can tell keys apart: `ci`, `alice-laptop`. */
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name!: string;

  @IsIn(ROLES, { message: `role: must be one of ${ROLES.join(', ')}` })
  role!: string;

  /** When the key stops working; in the future. Keys without one last until revoked. */
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'expires_at: must be an ISO 8601 date-time' })
  expires_at?: string;

  /**
   * Narrows the key to some of its role's permissions: a key for a dashboard
   * with `["runs:read"]` can read runs and nothing else.
   */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(PERMISSIONS.length)
  @IsIn(PERMISSIONS, { each: true, message: 'scopes: each must be a permission of GET /v1/roles' })
  scopes?: string[];
}

export class CreateApiKeyCommand extends CreateApiKeyRequest {
  @ValidateNested()
  @Type(() => ActorRef)
  actor!: ActorRef;

  /**
   * Set only by POST /v1/workspaces/{id}/api-keys (platform admins): the key
   * is issued in that workspace instead of the caller's. This is how a new
   * workspace gets its first admin key.
   */
  @OptionalText(63)
  target_workspace?: string;
}

export class RotateApiKeyRequest {
  /** How long the old key keeps working beside its successor, 0 to stop it at once. */
  @IntBetween(0, MAX_ROTATION_GRACE_SECONDS)
  grace_seconds!: number;
}

export class RotateApiKeyCommand extends RotateApiKeyRequest {
  @IsUUID()
  id!: string;

  @ValidateNested()
  @Type(() => ActorRef)
  actor!: ActorRef;
}

export class ApiKeyIdCommand {
  @IsUUID()
  id!: string;

  @ValidateNested()
  @Type(() => ActorRef)
  actor!: ActorRef;
}

export class ListApiKeysQuery extends PagedQuery() {}

export type ApiKeyStatus = 'active' | 'expired' | 'revoked';

/** A key as listed: never the key, never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  /** The key's first characters, enough to recognise it. */
  prefix: string;
  role: string;
  scopes: string[] | null;
  status: ApiKeyStatus;
  created_at: string;
  created_by: string | null;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  /** Set on a rotated key: the key that replaces it. */
  replaced_by: string | null;
}

/** A new key: the only answer that ever holds the key itself. */
export interface IssuedApiKeyView extends ApiKeyView {
  key: string;
}

export interface RotatedApiKeyView {
  /** The successor, with its key. */
  key: IssuedApiKeyView;
  /** The old key, now valid until its `expires_at` (or revoked when the grace was 0). */
  previous: ApiKeyView;
}

export interface RoleView {
  name: string;
  description: string;
  permissions: string[];
}

/**
 * On baton.security.revocations: credentials that stop working now. Every
 * gateway reads it in a consumer group of its own and forgets what it cached
 * for them; nothing secret travels (ids, not keys or digests).
 */
export class CredentialsRevokedMessage {
  @IsIn(['api-key', 'jwt', 'oidc', 'session', 'workspace'])
  kind!: 'api-key' | 'jwt' | 'oidc' | 'session' | 'workspace';

  /**
   * The credential ids: key ids for `api-key`, OAuth client ids for `jwt`,
   * identity provider ids for `oidc`, session ids for `session`; empty when
   * the whole workspace is revoked.
   */
  @IsArray()
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  credential_ids!: string[];

  /** Every credential of the workspace stops working (it was deleted). */
  @IsOptional()
  whole_workspace?: boolean;

  /**
   * For credentials a gateway verifies locally (`jwt`: OAuth client ids):
   * until when tokens may still be unexpired, so until when to refuse them.
   */
  @OptionalTimestamp()
  until?: string;

  @IsString()
  @MaxLength(100)
  reason!: string;
}

/**
 * On baton.security.events: a workspace's lifecycle, for the services that
 * keep its data. `purged`: each service deletes every row of the workspace.
 */
export class WorkspaceLifecycleMessage {
  @Matches(WORKSPACE_ID)
  workspace_id!: string;

  @IsIn(['active', 'deleted', 'purged'])
  status!: WorkspaceStatus;
}
