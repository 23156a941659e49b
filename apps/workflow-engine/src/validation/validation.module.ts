import { Module } from '@nestjs/common';
import { ValidateWorkflowUseCase } from './validate-workflow.usecase';

@Module({
  providers: [ValidateWorkflowUseCase],
  exports: [ValidateWorkflowUseCase],
})
export class ValidationModule {}
