import {
  decodeCursor,
  DomainError,
  RESERVED_WORKSPACE_IDS,
  toPage,
  WORKSPACE_ID,
  type CreateWorkspaceCommand,
  type ListWorkspacesQuery,
  type Page,
  type UpdateWorkspaceCommand,
  type WorkspaceIdCommand,
  type WorkspaceView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { workspaceChangedMessage } from '../api-keys/revocations';
import { recordAudit } from '../audit/audit-in-transaction';
import { toWorkspaceView } from '../workspaces/workspace.view';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';

/** Create, read, rename: a platform admin's view of every workspace. */
@Injectable()
export class ManageWorkspacesUseCase {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async create(
    command: CreateWorkspaceCommand,
    actorWorkspace: string,
    correlationId: string,
  ): Promise<WorkspaceView> {
    if (RESERVED_WORKSPACE_IDS.includes(command.id)) {
      throw DomainError.invalid('id', `'${command.id}' is reserved by Baton`);
    }
    return this.uow.run(async (tx) => {
      if (!(await this.workspaces.insert(tx.manager, command.id, command.name))) {
        // Deleted and purged workspaces keep their id: it is never given to someone else.
        throw new DomainError('WORKSPACE.EXISTS', `workspace '${command.id}' already exists`, [
          { field: 'id', message: 'is taken' },
        ]);
      }
      tx.publish(
        workspaceChangedMessage({ workspace_id: command.id, status: 'active' }, correlationId),
      );
      await auditChange(tx.manager, 'workspace.create', command, actorWorkspace, correlationId);
      return this.viewIn(tx.manager, command.id);
    });
  }

  async get(query: WorkspaceIdCommand): Promise<WorkspaceView> {
    const workspace = WORKSPACE_ID.test(query.id) ? await this.workspaces.find(query.id) : null;
    if (!workspace) throw DomainError.notFound('workspace', query.id);
    return toWorkspaceView(workspace);
  }

  async list(query: ListWorkspacesQuery): Promise<Page<WorkspaceView>> {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor);
    if (after !== undefined && !WORKSPACE_ID.test(after)) {
      throw DomainError.invalid('cursor', 'is not a cursor this API returned');
    }
    const rows = await this.workspaces.list(limit + 1, after);
    return toPage(rows, limit, toWorkspaceView, (row) => row.id);
  }

  async update(
    command: UpdateWorkspaceCommand,
    actorWorkspace: string,
    correlationId: string,
  ): Promise<WorkspaceView> {
    return this.uow.run(async (tx) => {
      const workspace = WORKSPACE_ID.test(command.id)
        ? await this.workspaces.findForUpdate(tx.manager, command.id)
        : null;
      if (!workspace) throw DomainError.notFound('workspace', command.id);
      if (workspace.deletedAt) {
        throw new DomainError('WORKSPACE.DELETED', `workspace '${command.id}' is deleted`);
      }
      if (command.name !== undefined && command.name !== workspace.name) {
        await this.workspaces.rename(tx.manager, workspace.id, command.name);
        await auditChange(tx.manager, 'workspace.update', command, actorWorkspace, correlationId);
      }
      return this.viewIn(tx.manager, workspace.id);
    });
  }

  /** The workspace as the transaction sees it, after the change. */
  private async viewIn(manager: EntityManager, id: string): Promise<WorkspaceView> {
    return toWorkspaceView((await this.workspaces.find(id, manager))!);
  }
}

/** A platform admin's change of a workspace (its name), in the audit trail of the admin's workspace. */
function auditChange(
  manager: EntityManager,
  action: 'workspace.create' | 'workspace.update',
  command: { id: string; name?: string; actor: { principal: string } },
  actorWorkspace: string,
  correlationId: string,
): Promise<void> {
  return recordAudit(manager, {
    workspaceId: actorWorkspace,
    actor: command.actor.principal,
    action,
    resource: `workspaces/${command.id}`,
    outcome: 'success',
    details: { name: command.name },
    correlationId,
  });
}
