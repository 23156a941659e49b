import { DatabaseModule } from '@baton/database';
import { ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { ApiKeyEntity } from './api-keys/api-key.entity';
import { ApiKeysModule } from './api-keys/api-keys.module';
import { AuditEntryEntity } from './audit/audit-entry.entity';
import { AuditModule } from './audit/audit.module';
import { SecurityCommandsModule } from './commands/security-commands.module';
import { SecurityManager1732435200003 } from './migrations/1732435200003-security-manager';
import type { SecurityEnv } from './security-manager.env';
import { WorkspaceEntity } from './workspaces/workspace.entity';
import { WorkspacesModule } from './workspaces/workspaces.module';

@Module({})
export class SecurityManagerModule {
  static forEnv(env: SecurityEnv, logger: Logger): DynamicModule {
    return {
      module: SecurityManagerModule,
      imports: [
        ServiceKitModule.forService('security-manager', env, logger),
        DatabaseModule.forService({
          schema: 'security_manager',
          entities: [WorkspaceEntity, ApiKeyEntity, AuditEntryEntity],
          migrations: [SecurityManager1732435200003],
        }),
        WorkspacesModule,
        ApiKeysModule,
        AuditModule,
        SecurityCommandsModule,
      ],
    };
  }
}
