import { Topics } from '@baton/contracts';
import { DATABASE } from './integration-manager.database';
import { Module, type DynamicModule } from '@nestjs/common';
import { ActionsModule } from './actions/actions.module';
import { AgentToolsModule } from './agent-tools/agent-tools.module';
import { ConnectionFiguresModule } from './connection-figures/connection-figures.module';
import { IntegrationCommandsModule } from './commands/integration-commands.module';
import {
  foundationModules,
  ResealModule,
  sealedColumn,
  WorkspacePurgeModule,
  type ServiceContext,
} from '@baton/service-kit';
import { secretsContext } from './connections/connection.entity';
import type { IntegrationEnv } from './integration-manager.env';
import { WORKSPACE_TABLES } from './workspace-purge/workspace-tables';

@Module({})
export class IntegrationManagerModule {
  static forService(context: ServiceContext<IntegrationEnv>): DynamicModule {
    return {
      module: IntegrationManagerModule,
      imports: [
        ...foundationModules(context, Topics.integrationCommands, DATABASE, { sealsSecrets: true }),
        ResealModule.forColumns([
          sealedColumn('connections', 'secrets_ciphertext', ['workspace_id', 'name'], (row) =>
            secretsContext(row.workspace_id, row.name),
          ),
        ]),
        IntegrationCommandsModule,
        ActionsModule,
        AgentToolsModule,
        ConnectionFiguresModule,
        WorkspacePurgeModule.forTables(WORKSPACE_TABLES),
      ],
    };
  }
}
