import { Topics } from '@baton/contracts';
import { DATABASE } from './security-manager.database';
import { foundationModules, type ServiceContext } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditModule } from './audit/audit.module';
import { SecurityCommandsModule } from './commands/security-commands.module';
import type { SecurityEnv } from './security-manager.env';
import { WorkspaceLifecycleModule } from './workspace-lifecycle/workspace-lifecycle.module';
import { WorkspacesModule } from './workspaces/workspaces.module';
import { SamlModule } from './saml/saml.module';
import { SecretsModule } from './secrets/secrets.module';
import { SessionsModule } from './sessions/sessions.module';

@Module({})
export class SecurityManagerModule {
  static forService(context: ServiceContext<SecurityEnv>): DynamicModule {
    return {
      module: SecurityManagerModule,
      imports: [
        ...foundationModules(context, Topics.securityCommands, DATABASE, { sealsSecrets: true }),
        WorkspacesModule,
        ApiKeysModule,
        WorkspaceLifecycleModule,
        AuditModule,
        SamlModule,
        SessionsModule,
        SecretsModule,
        SecurityCommandsModule,
      ],
    };
  }
}
