import {
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUrl,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { WORKSPACE_ROLES } from '../security/permissions';
import { OptionalText } from '../fields';

/**
 * Commands and queries of security-manager's OAuth clients, Baton tokens,
 * signing keys and external OpenID Connect providers (issue 18, part B).
 */
export const TokenMessageTypes = {
  oauthClientCreate: 'baton.oauth-client.create',
  oauthClientList: 'baton.oauth-client.list',
  oauthClientDelete: 'baton.oauth-client.delete',
  /** Client credentials grant: answers a token or an RFC 6749 §5.2 error, never a DomainError. */
  tokenIssue: 'baton.oauth.token',
  /** Baton's issuer, audience and public signing keys (the gateway caches them). */
  jwksGet: 'baton.signing-keys.jwks',
  signingKeyRotate: 'baton.signing-keys.rotate',
  identityProviderCreate: 'baton.identity-provider.create',
  identityProviderList: 'baton.identity-provider.list',
  identityProviderDelete: 'baton.identity-provider.delete',
  /** Every workspace's providers, for the gateway only (it finds a token's provider by iss + aud). */
  identityProviderDirectory: 'baton.identity-provider.directory',
  /** A provider's public keys, fetched by security-manager from its jwks_uri through the outbound guard. */
  identityProviderJwks: 'baton.identity-provider.jwks',
  /**
   * What a gateway must refuse among tokens it verifies locally: deleted
   * workspaces and OAuth clients deleted within a token lifetime. For the
   * gateway only; see RevocationsView.
   */
  revocationsSnapshot: 'baton.revocations.snapshot',
} as const;

/** The answer to TokenMessageTypes.revocationsSnapshot (ids only, nothing secret). */
export interface RevocationsView {
  /** Workspaces deleted (or purged): none of their credentials is accepted. */
  deleted_workspaces: string[];
  /** OAuth clients whose tokens may still be unexpired: refused until `until`. */
  revoked_clients: { client_id: string; until: string }[];
}

/** Claims of a Baton access token beside the registered ones (iss sub aud exp iat jti). */
export const TOKEN_CLAIMS = {
  workspace: 'workspace_id',
  role: 'role',
  clientId: 'client_id',
} as const;
/** The JWT `typ` of Baton access tokens (RFC 9068). */
export const ACCESS_TOKEN_TYPE = 'at+jwt';
export const SIGNING_ALGORITHM = 'ES256';

const NAME = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,99}$/;

/** `POST /v1/oauth-clients`: a client of the client credentials grant, holding one role. */
export class CreateOAuthClientCommand {
  @IsString()
  @Matches(NAME, {
    message: 'name must be 1-100 letters, digits, spaces, dots, dashes or underscores',
  })
  name!: string;

  @IsIn(WORKSPACE_ROLES, { message: `role must be one of ${WORKSPACE_ROLES.join(', ')}` })
  role!: string;
}

export class OAuthClientIdQuery {
  @IsUUID()
  id!: string;
}

export interface OAuthClientView {
  id: string;
  client_id: string;
  name: string;
  role: string;
  created_at: string;
  last_used_at: string | null;
}

/** The answer to a create: the only time the secret is shown. */
export interface CreatedOAuthClientView extends OAuthClientView {
  client_secret: string;
}

/**
 * The gateway's token request on Kafka: the secret travels as its SHA-256
 * digest, never in clear (client secrets are 32 random bytes, so a fast hash
 * is enough).
 */
export class IssueTokenQuery {
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  client_id!: string;

  @Matches(/^[0-9a-f]{64}$/, { message: 'client_secret_digest must be 64 lowercase hex digits' })
  client_secret_digest!: string;
}

export interface TokenSuccess {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** RFC 6749 §5.2. */
export interface TokenFailure {
  error:
    | 'invalid_request'
    | 'invalid_client'
    | 'invalid_grant'
    | 'unauthorized_client'
    | 'unsupported_grant_type'
    | 'invalid_scope';
  error_description: string;
}

export type TokenReply = TokenSuccess | TokenFailure;

/** A query with no parameters (class-validator refuses a class without any). */
export class EmptyQuery {
  @OptionalText(64)
  from?: string;
}

export interface PublicJwk {
  kty: string;
  kid: string;
  alg?: string;
  use?: string;
  [parameter: string]: unknown;
}

export interface BatonJwksView {
  issuer: string;
  audience: string;
  keys: PublicJwk[];
}

export interface RotatedSigningKeyView {
  kid: string;
  /** Keys that no longer sign, published until every token they signed has expired. */
  retired: { kid: string; published_until: string }[];
}

/** `POST /v1/identity-providers`: trust an OpenID provider's access tokens in this workspace. */
export class CreateIdentityProviderCommand {
  @IsString()
  @MaxLength(500)
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'issuer must be an http(s) URL' },
  )
  issuer!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(500)
  audience!: string;

  /** The claim whose value(s) are mapped to roles, e.g. `groups` or `roles`. */
  @IsString()
  @Matches(/^[A-Za-z0-9_.:/-]{1,100}$/, {
    message: 'claim must be a claim name (1-100 characters)',
  })
  claim!: string;

  /** `{ "<claim value>": "<role>" }`: roles are workspace roles (checked by the use case, per entry). */
  @IsDefined()
  @IsObject()
  role_mapping!: Record<string, string>;

  /**
   * For console sign-in (ADR 0037): the client id Baton has at this provider,
   * a confidential client whose redirect URI is `{public_url}/oidc/{workspace}/callback`.
   */
  @IsOptional()
  @IsString()
  @Matches(/^[\x21-\x7e]{1,255}$/, {
    message: 'client_id must be 1-255 printable characters without spaces',
  })
  client_id?: string;

  /** Write-only: sealed at rest, never answered or logged. */
  @IsOptional()
  @IsString()
  @Matches(/^[\x20-\x7e]{1,1024}$/, {
    message: 'client_secret must be 1-1024 printable characters',
  })
  client_secret?: string;

  /** Space-separated scopes asked at sign-in; `openid` is always among them. Default `openid`. */
  @IsOptional()
  @IsString()
  @Matches(/^[\x21\x23-\x5b\x5d-\x7e]{1,100}( [\x21\x23-\x5b\x5d-\x7e]{1,100}){0,19}$/, {
    message: 'scopes must be up to 20 scope names separated by single spaces',
  })
  scopes?: string;
}

/**
 * `baton.identity-provider.create` on Kafka: the gateway seals `client_secret`
 * (identityProviderSecretContext 'in') so it never crosses Kafka in clear,
 * and sends no `client_secret` field.
 */
export class CreateIdentityProviderMessage extends CreateIdentityProviderCommand {
  @IsOptional()
  @IsString()
  @MaxLength(4_096)
  sealed_client_secret?: string;
}

/** The associated data of a client secret sealed for Kafka, bound to the workspace and issuer. */
export function identityProviderSecretContext(workspaceId: string, issuer: string): string {
  return `identity-provider-secret-in:${workspaceId}/${issuer}`;
}

export class IdentityProviderIdQuery {
  @IsUUID()
  id!: string;
}

export interface IdentityProviderView {
  id: string;
  issuer: string;
  audience: string;
  claim: string;
  role_mapping: Record<string, string>;
  jwks_uri: string;
  /** Set when people may sign in to the console through this provider (ADR 0037). */
  client_id: string | null;
  /** Whether a client secret is stored; the secret itself is never answered. */
  client_secret_set: boolean;
  scopes: string | null;
  created_at: string;
}

export interface IdentityProviderEntry {
  id: string;
  workspace_id: string;
  issuer: string;
  audience: string;
  claim: string;
  role_mapping: Record<string, string>;
}

export interface IdentityProviderDirectoryView {
  providers: IdentityProviderEntry[];
}

export interface IdentityProviderJwksView {
  keys: PublicJwk[];
}
