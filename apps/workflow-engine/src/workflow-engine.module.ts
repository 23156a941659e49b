import { Topics } from '@baton/contracts';
import { DatabaseModule } from '@baton/database';
import { DATABASE } from './workflow-engine.database';
import { CommandsModule, ServiceKitModule } from '@baton/service-kit';
import type { WorkflowEngineEnv } from './workflow-engine.env';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { KnownAgentsModule } from './known-agents/known-agents.module';
import { EngineCommandsModule } from './commands/engine-commands.module';
import { RunsModule } from './runs/runs.module';
import { TriggersModule } from './triggers/triggers.module';
import { WorkflowsModule } from './workflows/workflows.module';
import { WorkspacePurgeModule } from './workspace-purge/workspace-purge.module';

@Module({})
export class WorkflowEngineModule {
  static forEnv(env: WorkflowEngineEnv, logger: Logger): DynamicModule {
    return {
      module: WorkflowEngineModule,
      imports: [
        ServiceKitModule.forService('workflow-engine', env, logger),
        // Run starts are independent and the engine's transactions hold one connection each.
        CommandsModule.forTopic(Topics.workflowCommands, { concurrency: 8 }),
        DatabaseModule.forService(DATABASE, env),
        KnownAgentsModule,
        WorkflowsModule,
        RunsModule,
        TriggersModule,
        EngineCommandsModule,
        WorkspacePurgeModule,
      ],
    };
  }
}
