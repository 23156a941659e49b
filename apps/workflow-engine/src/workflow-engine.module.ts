import { DatabaseModule } from '@baton/database';
import { DatabaseEnv, ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { KnownAgentEntity } from './known-agents/known-agent.entity';
import { KnownAgentsModule } from './known-agents/known-agents.module';
import { WorkflowEngine1732435200002 } from './migrations/1732435200002-workflow-engine';
import { RunEntity } from './runs/run.entity';
import { EngineCommandsModule } from './commands/engine-commands.module';
import { RunsModule } from './runs/runs.module';
import { StepExecutionEntity } from './runs/step-execution.entity';
import { WorkflowEntity, WorkflowVersionEntity } from './workflows/workflow.entity';
import { WorkflowsModule } from './workflows/workflows.module';

@Module({})
export class WorkflowEngineModule {
  static forEnv(env: DatabaseEnv, logger: Logger): DynamicModule {
    return {
      module: WorkflowEngineModule,
      imports: [
        ServiceKitModule.forService('workflow-engine', env, logger),
        DatabaseModule.forService({
          schema: 'workflow_engine',
          entities: [
            WorkflowEntity,
            WorkflowVersionEntity,
            KnownAgentEntity,
            RunEntity,
            StepExecutionEntity,
          ],
          migrations: [WorkflowEngine1732435200002],
        }),
        KnownAgentsModule,
        WorkflowsModule,
        RunsModule,
        EngineCommandsModule,
      ],
    };
  }
}
