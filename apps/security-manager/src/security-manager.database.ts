import type { DatabaseOptions } from '@baton/database';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { SecurityManager1732435200003 } from './migrations/1732435200003-security-manager';
import { AuditChain1765000000004 } from './migrations/1765000000004-audit-chain';
import { WorkspaceEntity } from './workspaces/workspace.entity';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'security_manager',
  entities: [WorkspaceEntity, ApiKeyEntity, AuditEntryEntity],
  migrations: [SecurityManager1732435200003, AuditChain1765000000004],
};
