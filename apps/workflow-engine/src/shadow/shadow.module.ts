import { Module } from '@nestjs/common';
import { RunsModule } from '../runs/runs.module';
import { InputSchemas } from '../workflows/input-schemas';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ShadowHandlers } from './shadow.handlers';
import { ShadowSourcesRepository } from './shadow-sources.repository';
import { ShadowWorkflowUseCase } from './shadow-workflow.usecase';
import { StoredEventsClient } from './stored-events.client';

/** Shadow runs of a candidate version over past runs or stored events: the interpreter in memory, nothing sent. */
@Module({
  imports: [WorkflowsModule, RunsModule],
  providers: [
    InputSchemas,
    ShadowSourcesRepository,
    StoredEventsClient,
    ShadowWorkflowUseCase,
    ShadowHandlers,
  ],
  exports: [ShadowHandlers],
})
export class ShadowModule {}
