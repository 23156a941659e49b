import { Module } from '@nestjs/common';
import { KnownAgentsModule } from '../known-agents/known-agents.module';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ValidateWorkflowUseCase } from './validate-workflow.usecase';

@Module({
  imports: [KnownAgentsModule, WorkflowsModule],
  providers: [ValidateWorkflowUseCase],
  exports: [ValidateWorkflowUseCase],
})
export class ValidationModule {}
