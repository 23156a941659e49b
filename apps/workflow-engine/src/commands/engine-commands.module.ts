import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { EngineCommandsConsumer } from './engine-commands.consumer';

/** The engine's request/reply entry point; it only routes to the use cases of the features. */
@Module({ imports: [WorkflowsModule, RunsModule], providers: [EngineCommandsConsumer] })
export class EngineCommandsModule {}
