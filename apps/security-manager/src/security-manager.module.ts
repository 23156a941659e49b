import { Topics } from '@baton/contracts';
import { DATABASE } from './security-manager.database';
import { foundationModules, type Keyring } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
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
  static forEnv(env: SecurityEnv, logger: Logger, keyring: Keyring): DynamicModule {
    return {
      module: SecurityManagerModule,
      imports: [
        ...foundationModules({
          service: 'security-manager',
          env,
          logger,
          commands: Topics.securityCommands,
          database: DATABASE,
          keyring,
        }),
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
