import { Module } from '@nestjs/common';
import { KnownAgentsModule } from '../known-agents/known-agents.module';
import { CreateWorkflowUseCase } from './create-workflow.usecase';
import { WorkflowTriggersRepository } from './workflow-triggers.repository';
import { WorkflowsRepository } from './workflows.repository';

@Module({
  imports: [KnownAgentsModule],
  providers: [WorkflowsRepository, WorkflowTriggersRepository, CreateWorkflowUseCase],
  exports: [WorkflowsRepository, WorkflowTriggersRepository, CreateWorkflowUseCase],
})
export class WorkflowsModule {}
