import { WORKSPACE_PURGER, WorkspacePurgeConsumer } from '@baton/service-kit';
import { Module } from '@nestjs/common';
import { PurgeWorkspaceUseCase } from './purge-workspace.usecase';
import { WorkspacePurgeRepository } from './workspace-purge.repository';

/** Deletes a workspace's data when security-manager announces its purge. */
@Module({
  providers: [
    WorkspacePurgeRepository,
    PurgeWorkspaceUseCase,
    { provide: WORKSPACE_PURGER, useExisting: PurgeWorkspaceUseCase },
    WorkspacePurgeConsumer,
  ],
})
export class WorkspacePurgeModule {}
