import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { IdentityProvidersModule } from '../identity-providers/identity-providers.module';
import { LimitsModule } from '../limits/limits.module';
import { OAuthModule } from '../oauth/oauth.module';
import { SamlModule } from '../saml/saml.module';
import { SessionsModule } from '../sessions/sessions.module';
import { SigningKeysModule } from '../signing-keys/signing-keys.module';
import { WorkspaceLifecycleModule } from '../workspaces/workspace-lifecycle.module';
import { SecurityCommandsConsumer, SsoUseCases } from './security-commands.consumer';

/** The request/reply entry point; it only routes to the use cases of the features. */
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
  ],
  providers: [SsoUseCases, SecurityCommandsConsumer],
})
export class SecurityCommandsModule {}
