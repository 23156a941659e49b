import { UnitOfWork, type Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { HeldWorkRepository } from '../store/held-work.repository';
import type { RunInput, TimerKind } from '../../interpreter';
import { RunProgress } from '../execution/run-progress';
import { RunStarter } from '../start-run/run-starter';
import type { StepError } from '../../interpreter';
import { RunsRepository, type TimerRow } from '../store/runs.repository';
import { TimerKinds } from '../store/timer-kinds';
import { recordTimerFired } from '../workflow-metrics';

const RETRY_FAILED_TIMER_MS = 5_000;

/** Fires due timers one transaction each, until none is due. Returns how many fired. */
@Injectable()
export class FireTimersUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
    private readonly progress: RunProgress,
    private readonly starter: RunStarter,
    private readonly heldWork: HeldWorkRepository,
  ) {}

  async execute(limit = 200): Promise<number> {
    let fired = 0;
    while (fired < limit) {
      let claimed: TimerRow | null = null;
      try {
        const found = await this.uow.run(async (tx) => {
          claimed = await this.runs.claimDueTimer(tx.manager);
          if (!claimed) return false;
          await this.fire(tx, claimed);
          return true;
        });
        if (!found) break;
        const due = (claimed as TimerRow | null)?.fire_at;
        if (due) recordTimerFired((claimed as unknown as TimerRow).kind, new Date(due));
      } catch (error) {
        // The claim rolled back with the failure: push the timer back so that the
        // timers due after it are not stuck behind it, and let the poller log why.
        if (claimed) await this.runs.postponeTimer((claimed as TimerRow).id, RETRY_FAILED_TIMER_MS);
        throw error;
      }
      fired++;
    }
    return fired;
  }

  private async fire(tx: Transaction, timer: TimerRow): Promise<void> {
    const run = await this.runs.lockRun(tx.manager, timer.run_id);
    if (!run) return;
    if (timer.kind === TimerKinds.cancelRun) {
      // A paused child is cancelled too: nothing would ever resume it for its parent.
      return this.progress.cancelRun(tx, run, String(timer.payload.reason ?? 'cancelled'));
    }
    // A paused run keeps the timer until it resumes (runs/store/held-work.repository.ts).
    if (run.status === 'paused') return this.heldWork.holdTimer(tx.manager, timer);
    if (run.status !== 'running') return;
    if (timer.kind === TimerKinds.startChild) return this.starter.startChild(tx, timer);
    const input = toInput(timer);
    if (input) await this.progress.advance(tx, run, input);
  }
}

function toInput(timer: TimerRow): RunInput | undefined {
  const payload = timer.payload;
  const taskId = typeof payload.task_id === 'string' ? payload.task_id : undefined;
  const attempt = typeof payload.attempt === 'number' ? payload.attempt : undefined;
  switch (timer.kind) {
    case TimerKinds.stepTimeout:
    case TimerKinds.retry:
    case TimerKinds.runTimeout:
      return { kind: 'timer', timer: timer.kind as TimerKind, taskId, attempt };
    case TimerKinds.waitEvent:
      // An event that ended the step's wait while the run was paused.
      if (!taskId) return undefined;
      return { kind: 'event', taskId, type: String(payload.type), data: payload.data };
    case TimerKinds.childFinished:
      if (!taskId) return undefined;
      return {
        kind: 'child-finished',
        taskId,
        attempt: attempt ?? 1,
        status: payload.status as 'completed' | 'failed' | 'cancelled',
        output: payload.output,
        error: (payload.error as StepError | null) ?? null,
      };
    default:
      return undefined;
  }
}
