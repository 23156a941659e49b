import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalObject, OptionalText } from '../fields';

/**
 * The gateway asks with the key's SHA-256 (lowercase hex), never the key: the
 * raw key does not travel on Kafka and cannot be read from a topic.
 */
export class VerifyApiKeyQuery {
  @Matches(/^[0-9a-f]{64}$/, { message: 'key_hash: must be a SHA-256 as 64 lowercase hex digits' })
  key_hash!: string;
}

export interface PrincipalView {
  principal: string;
  workspace_id: string;
  roles: string[];
  key_id: string;
  /** The key works until then; a gateway never caches it past that. */
  expires_at?: string | null;
  /** When set, the key may use only these permissions of its roles. */
  scopes?: string[] | null;
}

/** One line of the audit trail, on baton.audit; stored by security-manager. */
export class AuditEntryMessage {
  @IsString()
  @MaxLength(300)
  actor!: string;

  /** `<kind>:<id>` of the credential the actor used (an API key id, a token client...). */
  @OptionalText(300)
  credential?: string;

  @IsString()
  @MaxLength(200)
  action!: string;

  @IsString()
  @MaxLength(500)
  resource!: string;

  @IsIn(['success', 'denied', 'failure'])
  outcome!: 'success' | 'denied' | 'failure';

  @OptionalObject()
  details?: Record<string, unknown>;
}

export class ListAuditQuery {
  @IsOptional()
  @IsString()
  action?: string;

  @IsOptional()
  @IsString()
  cursor?: string;
}
