import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { AdmissionRepository } from '../store/admission.repository';
import type { RunEntity } from '../store/run.entity';
import { RunAdmission } from './run-admission';
import { RunStarter } from './run-starter';

/** Workspaces looked at per round: the rest wait for the next one. */
const WORKSPACES_PER_ROUND = 100;
/** Runs admitted per round (one transaction) at most, over all workspaces. */
const ADMITS_PER_ROUND = 500;

/**
 * One round of admission (ADR 0041): for each workspace with queued runs,
 * as many of its oldest as it has room for become `running` and take their
 * first decision, all in one transaction under the workspaces' admission
 * locks. Answers whether it admitted any (the poller goes again at once).
 */
@Injectable()
export class AdmitQueuedUseCase {
  constructor(
    private readonly repository: AdmissionRepository,
    private readonly admission: RunAdmission,
    private readonly starter: RunStarter,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(): Promise<boolean> {
    const workspaces = await this.repository.workspacesWithQueue(WORKSPACES_PER_ROUND);
    this.admission.sawBacklog(workspaces.length > 0);
    if (workspaces.length === 0) return false;
    return this.uow.run(async (tx) => {
      await this.repository.lockWorkspaces(tx.manager, workspaces);
      const admitted: RunEntity[] = [];
      for (const s of await this.repository.standing(tx.manager, workspaces)) {
        const room = Math.min(
          this.admission.limitOf(s) - s.running,
          ADMITS_PER_ROUND - admitted.length,
        );
        if (room <= 0) continue;
        admitted.push(...(await this.repository.oldestQueued(tx.manager, s.workspace_id, room)));
      }
      if (admitted.length === 0) return false;
      await this.repository.markRunning(
        tx.manager,
        admitted.map((run) => run.id),
        new Date(),
      );
      await this.starter.beginAdmitted(tx, admitted);
      return true;
    });
  }
}
