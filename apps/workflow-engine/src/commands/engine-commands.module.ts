import { Module } from '@nestjs/common';
import { RunOperationsModule } from '../runs/operations/run-operations.module';
import { RunsModule } from '../runs/runs.module';
import { ShadowModule } from '../shadow/shadow.module';
import { ValidationModule } from '../validation/validation.module';
import { VersionsModule } from '../versions/versions.module';
import { WorkflowTestsModule } from '../workflows/workflow-tests.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { WorkflowCommandsHandlers } from './workflow-commands.handlers';

/**
 * The engine's request/reply features: each answers its own commands with a
 * handler set that ServiceCommandServer finds; the workflows' own are here.
 */
@Module({
  imports: [
    WorkflowsModule,
    RunsModule,
    VersionsModule,
    ValidationModule,
    RunOperationsModule,
    WorkflowTestsModule,
    ShadowModule,
  ],
  providers: [WorkflowCommandsHandlers],
})
export class EngineCommandsModule {}
