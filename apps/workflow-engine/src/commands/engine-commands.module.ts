import { Module } from '@nestjs/common';
import { RunOperationsModule } from '../runs/operations/run-operations.module';
import { RunsModule } from '../runs/runs.module';
import { ValidationModule } from '../validation/validation.module';
import { VersionsModule } from '../versions/versions.module';
import { WorkflowTestsModule } from '../workflows/workflow-tests.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { EngineCommandsConsumer } from './engine-commands.consumer';

/** The engine's request/reply entry point; it only routes to the use cases of the features. */
@Module({
  imports: [
    WorkflowsModule,
    RunsModule,
    VersionsModule,
    ValidationModule,
    RunOperationsModule,
    WorkflowTestsModule,
  ],
  providers: [EngineCommandsConsumer],
})
export class EngineCommandsModule {}
