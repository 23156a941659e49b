import { Topics } from '@baton/contracts';
import { DATABASE } from './workflow-engine.database';
import { foundationModules, WorkspacePurgeModule, type ServiceContext } from '@baton/service-kit';
import type { WorkflowEngineEnv } from './workflow-engine.env';
import { Module, type DynamicModule } from '@nestjs/common';
import { KnownAgentsModule } from './known-agents/known-agents.module';
import { EngineCommandsModule } from './commands/engine-commands.module';
import { RunsModule } from './runs/runs.module';
import { TriggersModule } from './triggers/triggers.module';
import { WorkflowsModule } from './workflows/workflows.module';
import { WORKSPACE_TABLES } from './workspace-purge/workspace-tables';

@Module({})
export class WorkflowEngineModule {
  static forService(context: ServiceContext<WorkflowEngineEnv>): DynamicModule {
    return {
      module: WorkflowEngineModule,
      imports: [
        // Run starts are independent and the engine's transactions hold one connection each.
        ...foundationModules(context, Topics.workflowCommands, DATABASE, { commandConcurrency: 8 }),
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
