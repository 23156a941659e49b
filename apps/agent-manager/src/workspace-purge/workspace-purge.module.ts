import { workspacePurgeProviders } from '@baton/service-kit';
import { Module } from '@nestjs/common';
import { PurgeWorkspaceUseCase } from './purge-workspace.usecase';
import { WorkspacePurgeRepository } from './workspace-purge.repository';

/** Deletes a workspace's data when security-manager announces its purge. */
@Module({ providers: workspacePurgeProviders(PurgeWorkspaceUseCase, WorkspacePurgeRepository) })
export class WorkspacePurgeModule {}
