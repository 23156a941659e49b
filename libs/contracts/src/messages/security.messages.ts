import { IsIn, IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class VerifyApiKeyQuery {
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  key!: string;
}

export interface PrincipalView {
  principal: string;
  workspace_id: string;
  roles: string[];
  key_id: string;
}

/** One line of the audit trail, on baton.audit; stored by security-manager. */
export class AuditEntryMessage {
  @IsString()
  @MaxLength(300)
  actor!: string;

  /** `<kind>:<id>` of the credential the actor used (an API key id, a token client...). */
  @IsOptional()
  @IsString()
  @MaxLength(300)
  credential?: string;

  @IsString()
  @MaxLength(200)
  action!: string;

  @IsString()
  @MaxLength(500)
  resource!: string;

  @IsIn(['success', 'denied', 'failure'])
  outcome!: 'success' | 'denied' | 'failure';

  @IsOptional()
  @IsObject()
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
