import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityProvidersModule } from '../identity-providers/identity-providers.module';
import { KafkaCredentialsModule } from '../kafka-credentials/kafka-credentials.module';
import { LimitsModule } from '../limits/limits.module';
import { OAuthModule } from '../oauth/oauth.module';
import { OidcSignInModule } from '../oidc-sign-in/oidc-sign-in.module';
import { RevocationsModule } from '../revocations/revocations.module';
import { SamlModule } from '../saml/saml.module';
import { SecretsModule } from '../secrets/secrets.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { WorkspaceLifecycleModule } from '../workspace-lifecycle/workspace-lifecycle.module';
import { AccessCommands } from './access-commands.handlers';
import { LimitsCommands } from './limits-commands.handlers';
import { SsoCommands } from './sso-commands.handlers';
import { TokenCommands } from './token-commands.handlers';
import { VaultCommands } from './vault-commands.handlers';
import { WorkerCredentialCommands } from './worker-credential-commands.handlers';

/**
 * The request/reply entry point: one class per group of features, each only
 * routing message types on baton.security.commands to their use cases.
 */
@Module({
  imports: [
    ApiKeysModule,
    AuditModule,
    WorkspaceLifecycleModule,
    SamlModule,
    SessionsModule,
    LimitsModule,
    SigningKeysModule,
    OAuthModule,
    IdentityProvidersModule,
    OidcSignInModule,
    SecretsModule,
    RevocationsModule,
    KafkaCredentialsModule,
  ],
  providers: [
    AccessCommands,
    SsoCommands,
    TokenCommands,
    VaultCommands,
    LimitsCommands,
    WorkerCredentialCommands,
  ],
})
export class SecurityCommandsModule {}
