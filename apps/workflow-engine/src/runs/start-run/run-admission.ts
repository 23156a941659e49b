import type { Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { WorkflowEngineEnv } from '../../workflow-engine.env';
import { AdmissionRepository, type WorkspaceStanding } from '../store/admission.repository';
import type { RunEntity } from '../store/run.entity';
import { RunsEnded } from '../store/runs-ended';

/**
 * How long the list of workspaces with a limit of their own is trusted when
 * the default is off: a limit set on another engine applies to this one's
 * starts after at most this long (its admission rounds read it at once).
 */
const OWN_LIMITS_TTL_MS = 5_000;

/**
 * Fairness between workspaces (ADR 0041): at most `limit` runs of a
 * workspace are `running`; a start beyond that is stored `queued` (committed
 * like any start) and admitted by the AdmissionPoller, oldest first, as the
 * workspace's runs end. Another workspace's runs never wait behind that
 * backlog: they are counted against their own workspace only.
 */
@Injectable()
export class RunAdmission {
  /** Runs of one workspace running at once by default; Infinity when the default is off. */
  readonly limit: number;
  private ownLimits?: { workspaces: Set<string>; readAt: number };
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
    if (runs.length === 0) return;
    const workspaces = [...new Set(runs.map((run) => run.workspaceId))];
    // With the default off, only a workspace with a limit of its own is counted.
    if (!Number.isFinite(this.limit) && !(await this.anyOwnLimit(workspaces))) return;
    await this.repository.lockWorkspaces(tx.manager, workspaces);
    const room = new Map<string, number>();
    for (const s of await this.repository.standing(tx.manager, workspaces)) {
      room.set(s.workspace_id, s.queued ? 0 : Math.max(0, this.limitOf(s) - s.running));
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

  /** The workspace's own limit if it has one (0: none), otherwise the default; Infinity is none. */
  limitOf(standing: Pick<WorkspaceStanding, 'own_limit'>): number {
    if (standing.own_limit === null || standing.own_limit === undefined) return this.limit;
    return standing.own_limit || Infinity;
  }

  /** A workspace's own limit changed here: read the list again on the next start. */
  ownLimitsChanged(): void {
    this.ownLimits = undefined;
  }

  private async anyOwnLimit(workspaces: string[]): Promise<boolean> {
    const now = Date.now();
    if (!this.ownLimits || now - this.ownLimits.readAt > OWN_LIMITS_TTL_MS) {
      const own = await this.repository.overridden();
      this.ownLimits = { workspaces: new Set(own.keys()), readAt: now };
    }
    const { workspaces: own } = this.ownLimits;
    return workspaces.some((workspace) => own.has(workspace));
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
