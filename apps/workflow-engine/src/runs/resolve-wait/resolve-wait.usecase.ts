import type { Envelope } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { HeldWorkRepository } from '../store/held-work.repository';
import { RunProgress } from '../execution/run-progress';
import { RunsRepository, type MatchedWait } from '../store/runs.repository';
import { TimerKinds } from '../store/timer-kinds';

/** An event ended a wait: the waiting step completes with the event's data. */
@Injectable()
export class ResolveWaitUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
    private readonly progress: RunProgress,
    private readonly heldWork: HeldWorkRepository,
  ) {}

  async execute(wait: MatchedWait, event: Envelope): Promise<void> {
    await this.uow.run(async (tx) => {
      const run = await this.runs.lockRun(tx.manager, wait.run_id);
      // Claiming (deleting) the wait makes a redelivered or second matching event a no-op.
      if (!(await this.runs.claimWait(tx.manager, wait.task_id))) return;
      if (run?.status === 'paused') {
        // The event is the step's now; the step takes it when the run resumes (a held signal).
        return this.heldWork.holdTimer(tx.manager, {
          run_id: run.id,
          kind: TimerKinds.waitEvent,
          payload: { task_id: wait.task_id, type: event.type, data: event.data ?? null },
        });
      }
      if (!run || run.status !== 'running') return;
      await this.progress.advance(
        tx,
        run,
        { kind: 'event', taskId: wait.task_id, type: event.type, data: event.data },
        event,
      );
    });
  }
}
