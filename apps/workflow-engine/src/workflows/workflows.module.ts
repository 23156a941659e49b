import { Module } from '@nestjs/common';
import { KnownAgentsModule } from '../known-agents/known-agents.module';
import { CreateWorkflowUseCase } from './create-workflow.usecase';
import { WorkflowsRepository } from './workflows.repository';

@Module({
  imports: [KnownAgentsModule],
  providers: [WorkflowsRepository, CreateWorkflowUseCase],
  exports: [WorkflowsRepository, CreateWorkflowUseCase],
})
export class WorkflowsModule {}
