import { TaskResultMessage, validateInto, type Envelope } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { HeldWorkRepository } from '../run-operations/held-work.repository';
import { RunProgress } from './run-progress';
import { RunsRepository } from './runs.repository';

const INBOX = 'task-results';

/** Applies an agent's or connector's answer to its step, then moves the run on. */
@Injectable()
export class ApplyTaskResultUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
    private readonly progress: RunProgress,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly heldWork: HeldWorkRepository,
  ) {}

  async execute(envelope: Envelope): Promise<void> {
    const result = validateInto(TaskResultMessage, envelope.data, 'result');
    await this.uow.run(async (tx) => {
      if (!(await tx.markProcessed(INBOX, envelope.id))) return;
      const found = await this.runs.findExecution(tx.manager, result.task_id);
      if (!found) return; // a task the engine did not send (e.g. a direct invoke)
      // Every decision about a run holds the run's row lock: one decision at a time per run.
      const run = await this.runs.lockRun(tx.manager, found.runId);
      // A paused run keeps the result until it resumes (run-operations/held-work.repository.ts).
      if (run?.status === 'paused') return this.heldWork.holdResult(tx.manager, run.id, envelope);
      if (!run || run.status !== 'running') return;
      const execution = await this.runs.findExecution(tx.manager, result.task_id);
      if (!execution || execution.attempt !== result.attempt || execution.status !== 'running') {
        this.logger.info(
          {
            task_id: result.task_id,
            attempt: result.attempt,
            current_attempt: execution?.attempt,
            status: execution?.status,
          },
          'late or duplicate task result ignored',
        );
        return;
      }
      await this.progress.advance(
        tx,
        run,
        {
          kind: 'task-result',
          taskId: result.task_id,
          attempt: result.attempt,
          status: result.status,
          output: result.output,
          ...(result.error
            ? { error: { type: result.error.type, message: result.error.message } }
            : {}),
        },
        envelope,
      );
    });
  }
}
