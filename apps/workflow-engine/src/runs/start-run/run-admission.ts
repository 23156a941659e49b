import type { Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { WorkflowEngineEnv } from '../../workflow-engine.env';
import { AdmissionRepository } from '../store/admission.repository';
import type { RunEntity } from '../store/run.entity';
import { RunsEnded } from '../store/runs-ended';

/**
 * Fairness between workspaces (ADR 0041): at most `limit` runs of a
 * workspace are `running`; a start beyond that is stored `queued` (committed
 * like any start) and admitted by the AdmissionPoller, oldest first, as the
 * workspace's runs end. Another workspace's runs never wait behind that
 * backlog: they are counted against their own workspace only.
 */
@Injectable()
export class RunAdmission {
  /** Runs of one workspace running at once; Infinity when the limit is off. */
  readonly limit: number;
  /** Queued runs were seen (here or by the poller): ended runs then wake the poller. */
  private backlog = false;
  private readonly wakers: (() => void)[] = [];

  constructor(
    env: WorkflowEngineEnv,
    private readonly repository: AdmissionRepository,
    ended: RunsEnded,
  ) {
    this.limit = env.RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE || Infinity;
    // Without a backlog an ended run frees nothing anyone waits for: no round, no query.
    ended.listen(() => {
      if (this.backlog) this.wake();
    });
  }

  /**
   * Decides which of these new runs (in the order given) start now: the
   * others get status `queued`. One lock, one count per workspace of the
   * batch, whatever its size; the locks hold until the caller's transaction
   * ends, so concurrent batches of one workspace cannot both take the last
   * room. A workspace with runs queued already queues new ones behind them.
   */
  async admitNew(tx: Transaction, runs: RunEntity[]): Promise<void> {
    if (!Number.isFinite(this.limit) || runs.length === 0) return;
    const workspaces = [...new Set(runs.map((run) => run.workspaceId))];
    await this.repository.lockWorkspaces(tx.manager, workspaces);
    const room = new Map<string, number>();
    for (const s of await this.repository.standing(tx.manager, workspaces)) {
      room.set(s.workspace_id, s.queued ? 0 : Math.max(0, this.limit - s.running));
    }
    let queued = false;
    for (const run of runs) {
      const left = room.get(run.workspaceId) ?? 0;
      if (left > 0) {
        room.set(run.workspaceId, left - 1);
        continue;
      }
      run.status = 'queued';
      queued = true;
    }
    if (queued) tx.afterCommit(() => this.sawBacklog(true));
  }

  /** What the last look found: whether ended runs should wake the poller. */
  sawBacklog(backlog: boolean): void {
    this.backlog = backlog;
  }

  /** The poller's wake-up: runs ended while others wait. */
  listen(waker: () => void): void {
    this.wakers.push(waker);
  }

  private wake(): void {
    for (const waker of this.wakers) waker();
  }
}
