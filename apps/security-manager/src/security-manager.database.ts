import type { DatabaseOptions } from '@baton/database';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { SecurityManager1732435200003 } from './migrations/1732435200003-security-manager';
import { WorkspaceEntity } from './workspaces/workspace.entity';
import { SecretsVault1765000000005 } from './migrations/1765000000005-secrets-vault';
import { SecretEntity } from './secrets/secret.entity';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'security_manager',
  entities: [WorkspaceEntity, ApiKeyEntity, AuditEntryEntity, SecretEntity],
  migrations: [SecurityManager1732435200003, SecretsVault1765000000005],
};
