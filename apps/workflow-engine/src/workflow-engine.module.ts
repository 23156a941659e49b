import { Topics } from '@baton/contracts';
import { DATABASE } from './workflow-engine.database';
import { DatabaseEnv, foundationModules, WorkspacePurgeModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { KnownAgentsModule } from './known-agents/known-agents.module';
import { EngineCommandsModule } from './commands/engine-commands.module';
import { RunsModule } from './runs/runs.module';
import { TriggersModule } from './triggers/triggers.module';
import { WorkflowsModule } from './workflows/workflows.module';
import { WORKSPACE_TABLES } from './workspace-purge/workspace-tables';

@Module({})
export class WorkflowEngineModule {
  static forEnv(env: DatabaseEnv, logger: Logger): DynamicModule {
    return {
      module: WorkflowEngineModule,
      imports: [
        ...foundationModules({
          service: 'workflow-engine',
          env,
          logger,
          commands: Topics.workflowCommands,
          // Run starts are independent and the engine's transactions hold one connection each.
          commandOptions: { concurrency: 8 },
          database: DATABASE,
        }),
        KnownAgentsModule,
        WorkflowsModule,
        RunsModule,
        TriggersModule,
        EngineCommandsModule,
        WorkspacePurgeModule.forTables(WORKSPACE_TABLES),
      ],
    };
  }
}
