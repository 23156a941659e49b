import {
  RunAdmissionMessageTypes,
  RunAdmissionQuery,
  SetRunAdmissionCommand,
  type Envelope,
  type RunAdmissionView,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { AdmissionRepository } from '../store/admission.repository';
import { RunAdmission } from './run-admission';

/**
 * A workspace's own run admission limit (ADR 0041), in place of the engine's
 * default: read, set, removed. The gateway sends these for platform admins
 * only (`/v1/workspaces/{id}/run-admission`); the workspace is the command's,
 * not the caller's. Admission reads the stored limit in the same transaction
 * as its count, so a change applies to the next start and the next round.
 */
@Injectable()
export class RunAdmissionHandlers extends CommandHandlers {
  constructor(
    private readonly repository: AdmissionRepository,
    private readonly admission: RunAdmission,
    private readonly uow: UnitOfWork,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(RunAdmissionMessageTypes.get, RunAdmissionQuery, (query) =>
        this.view(query.workspace_id),
      )
      .handle(RunAdmissionMessageTypes.set, SetRunAdmissionCommand, (command, envelope) =>
        this.store(command.workspace_id, command.active_runs, envelope),
      )
      .handle(RunAdmissionMessageTypes.reset, RunAdmissionQuery, (query, envelope) =>
        this.store(query.workspace_id, null, envelope),
      );
  }

  private async store(
    workspaceId: string,
    activeRuns: number | null,
    request: Envelope,
  ): Promise<RunAdmissionView> {
    await this.uow.run(async (tx) => {
      await this.repository.setOwnLimit(tx.manager, workspaceId, activeRuns);
      tx.audit(
        {
          action:
            activeRuns === null ? 'workspace.run_admission.reset' : 'workspace.run_admission.set',
          target: `workspace/${workspaceId}`,
          details: { active_runs: activeRuns },
        },
        request,
      );
    });
    this.admission.ownLimitsChanged();
    return this.view(workspaceId);
  }

  private async view(workspaceId: string): Promise<RunAdmissionView> {
    const own = await this.repository.ownLimit(workspaceId);
    const fallback = Number.isFinite(this.admission.limit) ? this.admission.limit : 0;
    const effective = this.admission.limitOf({ own_limit: own });
    return {
      workspace_id: workspaceId,
      active_runs: own,
      default_active_runs: fallback,
      effective_active_runs: Number.isFinite(effective) ? effective : 0,
    };
  }
}
