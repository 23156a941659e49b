import type { DatabaseOptions } from '@baton/database';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { SecurityManager1732435200003 } from './migrations/1732435200003-security-manager';
import { WorkspaceEntity } from './workspaces/workspace.entity';
import { IdentityProviderEntity } from './identity-providers/identity-provider.entity';
import { Tokens1765000000002 } from './migrations/1765000000002-tokens';
import { OAuthClientEntity } from './oauth/oauth-client.entity';
import { SigningKeyEntity } from './signing-keys/signing-key.entity';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'security_manager',
  entities: [
    WorkspaceEntity,
    ApiKeyEntity,
    AuditEntryEntity,
    SigningKeyEntity,
    OAuthClientEntity,
    IdentityProviderEntity,
  ],
  migrations: [SecurityManager1732435200003, Tokens1765000000002],
};
