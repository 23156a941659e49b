import { Module } from '@nestjs/common';
import { InputSchemas } from './input-schemas';
import { TestWorkflowHandlers } from './test-workflow.handlers';
import { TestWorkflowUseCase } from './test-workflow.usecase';
import { WorkflowsModule } from './workflows.module';

/** Dry runs of workflows: the interpreter in memory, no run stored. */
@Module({
  imports: [WorkflowsModule],
  providers: [InputSchemas, TestWorkflowUseCase, TestWorkflowHandlers],
  exports: [TestWorkflowHandlers],
})
export class WorkflowTestsModule {}
