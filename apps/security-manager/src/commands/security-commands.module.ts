import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditModule } from '../audit/audit.module';
import { LimitsModule } from '../limits/limits.module';
import { SamlModule } from '../saml/saml.module';
import { SessionsModule } from '../sessions/sessions.module';
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
  ],
  providers: [SsoUseCases, SecurityCommandsConsumer],
})
export class SecurityCommandsModule {}
