import { Topics } from '@baton/contracts';
import { DatabaseModule } from '@baton/database';
import { DATABASE } from './integration-manager.database';
import { CommandsModule, ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { ActionsModule } from './actions/actions.module';
import { AgentToolsModule } from './agent-tools/agent-tools.module';
import { ConnectionFiguresModule } from './connection-figures/connection-figures.module';
import { IntegrationCommandsModule } from './commands/integration-commands.module';
import { CryptoModule, ResealModule, type Keyring } from '@baton/service-kit';
import { secretsContext } from './connections/connection.entity';
import type { IntegrationEnv } from './integration-manager.env';
import { WorkspacePurgeModule } from './workspace-purge/workspace-purge.module';

@Module({})
export class IntegrationManagerModule {
  static forEnv(env: IntegrationEnv, logger: Logger, keyring: Keyring): DynamicModule {
    return {
      module: IntegrationManagerModule,
      imports: [
        ServiceKitModule.forService('integration-manager', env, logger),
        CommandsModule.forTopic(Topics.integrationCommands),
        DatabaseModule.forService(DATABASE, env),
        CryptoModule.forKeyring(keyring),
        ResealModule.forColumns([
          {
            name: 'connections.secrets_ciphertext',
            table: 'connections',
            column: 'secrets_ciphertext',
            keyColumns: ['workspace_id', 'name'],
            context: (row) => secretsContext(row.workspace_id, row.name),
          },
        ]),
        IntegrationCommandsModule,
        ActionsModule,
        AgentToolsModule,
        ConnectionFiguresModule,
        WorkspacePurgeModule,
      ],
    };
  }
}
