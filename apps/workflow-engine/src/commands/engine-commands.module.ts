import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { WorkflowTestsModule } from '../workflows/workflow-tests.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { EngineCommandsConsumer } from './engine-commands.consumer';

/** The engine's request/reply entry point; it only routes to the use cases of the features. */
@Module({
  imports: [WorkflowsModule, RunsModule, WorkflowTestsModule],
  providers: [EngineCommandsConsumer],
})
export class EngineCommandsModule {}
