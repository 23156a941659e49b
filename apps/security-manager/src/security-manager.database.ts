import type { DatabaseOptions } from '@baton/database';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { WorkspaceLimitsEntity } from './limits/workspace-limits.entity';
import { SecurityManager1732435200003 } from './migrations/1732435200003-security-manager';
import { WorkspacesApiKeys1765000000001 } from './migrations/1765000000001-workspaces-api-keys';
import { SamlSessions1765000000003 } from './migrations/1765000000003-saml-sessions';
import { SamlConfigEntity } from './saml/saml-config.entity';
import { SessionEntity } from './sessions/session.entity';
import { WorkspaceLimits1765000000006 } from './migrations/1765000000006-workspace-limits';
import { AuditChain1765000000004 } from './migrations/1765000000004-audit-chain';
import { WorkspaceEntity } from './workspaces/workspace.entity';
import { IdentityProviderEntity } from './identity-providers/identity-provider.entity';
import { Tokens1765000000002 } from './migrations/1765000000002-tokens';
import { OAuthClientEntity } from './oauth/oauth-client.entity';
import { SigningKeyEntity } from './signing-keys/signing-key.entity';
import { SecretsVault1765000000005 } from './migrations/1765000000005-secrets-vault';
import { SecretEntity } from './secrets/secret.entity';
import { OidcSignIn1765000000007 } from './migrations/1765000000007-oidc-sign-in';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'security_manager',
  entities: [
    WorkspaceEntity,
    ApiKeyEntity,
    AuditEntryEntity,
    SamlConfigEntity,
    SessionEntity,
    WorkspaceLimitsEntity,
    SigningKeyEntity,
    OAuthClientEntity,
    IdentityProviderEntity,
    SecretEntity,
  ],
  migrations: [
    SecurityManager1732435200003,
    WorkspacesApiKeys1765000000001,
    Tokens1765000000002,
    SamlSessions1765000000003,
    AuditChain1765000000004,
    SecretsVault1765000000005,
    WorkspaceLimits1765000000006,
    OidcSignIn1765000000007,
  ],
};
