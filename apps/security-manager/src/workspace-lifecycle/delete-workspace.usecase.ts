import {
  DomainError,
  WORKSPACE_ID,
  type WorkspaceIdCommand,
  type WorkspaceView,
} from '@baton/contracts';
import { UnitOfWork, type Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { ApiKeysRepository } from '../api-keys/api-keys.repository';
import { revocationMessage, workspaceChangedMessage } from '../api-keys/revocations';
import { recordAudit } from '../audit/audit-in-transaction';
import type { WorkspaceEntity } from '../workspaces/workspace.entity';
import { toWorkspaceView } from '../workspaces/workspace.view';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';

/**
 * Delete: every credential of the workspace stops working at once (verify
 * refuses them, every gateway drops what it cached), its data stays. Purge,
 * a separate call on a deleted workspace: what security-manager holds of it
 * goes, and baton.security.events tells the other services to drop theirs.
 */
@Injectable()
export class DeleteWorkspaceUseCase {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly keys: ApiKeysRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async delete(request: WorkspaceRequest): Promise<WorkspaceView> {
    const { actorWorkspace, correlationId } = request;
    return this.changeLocked(request, async (tx, workspace) => {
      if (workspace.id === actorWorkspace) {
        throw new DomainError(
          'WORKSPACE.OWN_CREDENTIAL',
          'a workspace cannot be deleted with a credential of its own: you would lock yourself out',
        );
      }
      if (workspace.deletedAt) return;
      await this.workspaces.markDeleted(tx.manager, workspace.id);
      tx.publish(
        revocationMessage(
          workspace.id,
          {
            kind: 'workspace',
            credential_ids: [],
            whole_workspace: true,
            reason: 'workspace deleted',
          },
          correlationId,
        ),
        workspaceChangedMessage({ workspace_id: workspace.id, status: 'deleted' }, correlationId),
      );
      await audit(tx, 'workspace.delete', workspace, request);
    });
  }

  async purge(request: WorkspaceRequest): Promise<WorkspaceView> {
    const { correlationId } = request;
    return this.changeLocked(request, async (tx, workspace) => {
      if (!workspace.deletedAt) {
        throw new DomainError(
          'WORKSPACE.NOT_DELETED',
          `workspace '${workspace.id}' is not deleted: delete it first, then purge it`,
        );
      }
      if (workspace.purgedAt) return;
      const keys = await this.keys.deleteAllOfWorkspace(tx.manager, workspace.id);
      const owned = await this.workspaces.deleteOwnedRows(tx.manager, workspace.id);
      await this.workspaces.markPurged(tx.manager, workspace.id);
      tx.publish(
        workspaceChangedMessage({ workspace_id: workspace.id, status: 'purged' }, correlationId),
      );
      // Recorded in the workspace of the platform admin who purged: the purged one's
      // own trail is kept (audit records are never deleted), but nobody can read it anymore.
      await audit(tx, 'workspace.purge', workspace, request, {
        api_keys_deleted: keys,
        rows_deleted: owned,
      });
    });
  }

  /** Locks the workspace, changes it, and answers it as the change left it, in one transaction. */
  private changeLocked(
    request: WorkspaceRequest,
    change: (tx: Transaction, workspace: WorkspaceEntity) => Promise<void>,
  ): Promise<WorkspaceView> {
    return this.uow.run(async (tx) => {
      const workspace = await this.lock(tx, request.command.id);
      await change(tx, workspace);
      return this.view(tx, workspace.id);
    });
  }

  private async view(tx: Transaction, id: string): Promise<WorkspaceView> {
    return toWorkspaceView((await this.workspaces.find(id, tx.manager))!);
  }

  private async lock(tx: Transaction, id: string): Promise<WorkspaceEntity> {
    const workspace = WORKSPACE_ID.test(id)
      ? await this.workspaces.findForUpdate(tx.manager, id)
      : null;
    if (!workspace) throw DomainError.notFound('workspace', id);
    return workspace;
  }
}

/** Who asked, from where: audits are recorded in the admin's workspace, not the one acted on. */
export interface WorkspaceRequest {
  command: WorkspaceIdCommand;
  actorWorkspace: string;
  correlationId: string;
}

function audit(
  tx: Transaction,
  action: 'workspace.delete' | 'workspace.purge',
  workspace: WorkspaceEntity,
  request: WorkspaceRequest,
  details?: Record<string, unknown>,
): Promise<void> {
  return recordAudit(tx.manager, {
    workspaceId: request.actorWorkspace,
    actor: request.command.actor?.principal ?? 'unknown',
    action,
    resource: `workspaces/${workspace.id}`,
    outcome: 'success',
    details,
    correlationId: request.correlationId,
  });
}
