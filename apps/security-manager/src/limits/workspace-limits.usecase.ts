import {
  DomainError,
  type SetWorkspaceLimitsCommand,
  type StoredWorkspaceLimits,
  type WorkspaceLimitsQuery,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { auditCommand } from '../audit/audit-in-transaction';
import { toLimitsView, WorkspaceLimitsRepository } from './workspace-limits.repository';

/**
 * Reading, setting and clearing a workspace's limits. Who may call which is
 * the gateway's permission table: every gateway asks for the limits of the
 * workspaces it serves; only platform admins set them.
 */
@Injectable()
export class WorkspaceLimitsUseCase {
  constructor(
    private readonly limits: WorkspaceLimitsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async get(query: WorkspaceLimitsQuery): Promise<StoredWorkspaceLimits> {
    const row = await this.limits.find(query.workspace_id);
    if (!row) await this.requireWorkspace(query.workspace_id);
    return toLimitsView(query.workspace_id, row);
  }

  async set(command: SetWorkspaceLimitsCommand): Promise<StoredWorkspaceLimits> {
    await this.requireWorkspace(command.workspace_id);
    return this.uow.run(async (tx) => {
      const row = await this.limits.replace(tx.manager, command.workspace_id, command);
      const view = toLimitsView(command.workspace_id, row);
      // In the chain of the admin who set them; the workspace is the target.
      await auditCommand(tx.manager, {
        action: 'limits.set',
        resource: `workspaces/${command.workspace_id}/limits`,
        details: {
          requests_per_key: view.requests_per_key,
          requests_per_workspace: view.requests_per_workspace,
          window_seconds: view.window_seconds,
          sse_streams: view.sse_streams,
        },
      });
      return view;
    });
  }

  async reset(query: WorkspaceLimitsQuery): Promise<StoredWorkspaceLimits> {
    await this.requireWorkspace(query.workspace_id);
    await this.uow.run(async (tx) => {
      await this.limits.remove(tx.manager, query.workspace_id);
      await auditCommand(tx.manager, {
        action: 'limits.reset',
        resource: `workspaces/${query.workspace_id}/limits`,
      });
    });
    return toLimitsView(query.workspace_id, null);
  }

  private async requireWorkspace(workspaceId: string): Promise<void> {
    if (!(await this.limits.workspaceExists(workspaceId))) {
      throw DomainError.notFound('workspace', workspaceId);
    }
  }
}
