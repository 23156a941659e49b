import {
  DomainError,
  type SetWorkspaceLimitsCommand,
  type StoredWorkspaceLimits,
  type WorkspaceLimitsQuery,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { toLimitsView, WorkspaceLimitsRepository } from './workspace-limits.repository';

/**
 * Reading, setting and clearing a workspace's limits. Who may call which is
 * the gateway's permission table: every gateway asks for the limits of the
 * workspaces it serves; only platform admins set them.
 */
@Injectable()
export class WorkspaceLimitsUseCase {
  constructor(private readonly limits: WorkspaceLimitsRepository) {}

  async get(query: WorkspaceLimitsQuery): Promise<StoredWorkspaceLimits> {
    const row = await this.limits.find(query.workspace_id);
    if (!row) await this.requireWorkspace(query.workspace_id);
    return toLimitsView(query.workspace_id, row);
  }

  async set(command: SetWorkspaceLimitsCommand): Promise<StoredWorkspaceLimits> {
    await this.requireWorkspace(command.workspace_id);
    const row = await this.limits.replace(command.workspace_id, command);
    return toLimitsView(command.workspace_id, row);
  }

  async reset(query: WorkspaceLimitsQuery): Promise<StoredWorkspaceLimits> {
    await this.requireWorkspace(query.workspace_id);
    await this.limits.remove(query.workspace_id);
    return toLimitsView(query.workspace_id, null);
  }

  private async requireWorkspace(workspaceId: string): Promise<void> {
    if (!(await this.limits.workspaceExists(workspaceId))) {
      throw DomainError.notFound('workspace', workspaceId);
    }
  }
}
