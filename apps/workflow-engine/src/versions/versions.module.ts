import { Module } from '@nestjs/common';
import { WorkflowsModule } from '../workflows/workflows.module';
import { ActivateVersionUseCase } from './activate-version.usecase';
import { WorkflowVersionsHandlers } from './workflow-versions.handlers';
import { WorkflowVersionsRepository } from './workflow-versions.repository';

@Module({
  imports: [WorkflowsModule],
  providers: [WorkflowVersionsRepository, ActivateVersionUseCase, WorkflowVersionsHandlers],
  exports: [WorkflowVersionsHandlers],
})
export class VersionsModule {}
