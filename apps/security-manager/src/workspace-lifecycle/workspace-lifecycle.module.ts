import { Module } from '@nestjs/common';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { DeleteWorkspaceUseCase } from './delete-workspace.usecase';
import { ManageWorkspacesUseCase } from './manage-workspaces.usecase';
import { WorkspacesModule } from '../workspaces/workspaces.module';

/** Creating, renaming, deleting and purging workspaces (deleting reaches their keys). */
@Module({
  imports: [WorkspacesModule, ApiKeysModule],
  providers: [ManageWorkspacesUseCase, DeleteWorkspaceUseCase],
  exports: [ManageWorkspacesUseCase, DeleteWorkspaceUseCase],
})
export class WorkspaceLifecycleModule {}
