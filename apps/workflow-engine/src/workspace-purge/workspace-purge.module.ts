import { Module } from '@nestjs/common';
import { PurgeWorkspaceUseCase } from './purge-workspace.usecase';
import { WorkspacePurgeConsumer } from './workspace-purge.consumer';
import { WorkspacePurgeRepository } from './workspace-purge.repository';

/** Deletes a workspace's data when security-manager announces its purge. */
@Module({
  providers: [WorkspacePurgeRepository, PurgeWorkspaceUseCase, WorkspacePurgeConsumer],
})
export class WorkspacePurgeModule {}
