import { Module } from '@nestjs/common';
import { KnownAgentsModule } from '../known-agents/known-agents.module';
import { ValidateWorkflowUseCase } from './validate-workflow.usecase';

@Module({
  imports: [KnownAgentsModule],
  providers: [ValidateWorkflowUseCase],
  exports: [ValidateWorkflowUseCase],
})
export class ValidationModule {}
