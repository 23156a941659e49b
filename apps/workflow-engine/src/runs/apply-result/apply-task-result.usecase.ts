import { TaskResultMessage, validateInto } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { HeldWorkRepository } from '../store/held-work.repository';
import { CachedResultDecisions } from './cached-result-decisions';
import { RunProgress } from '../execution/run-progress';
import type { StepRecord } from '../../interpreter';
import { RunsRepository } from '../store/runs.repository';
import { toRecord } from '../store/step-record.mapper';
import { withResultDecisionSpan } from '../run-tracing';
import { taskResultInput, type ParsedResult, type ResultDelivery } from './task-result';

type Result = TaskResultMessage;

/**
 * Applies agents' and connectors' answers to their steps and moves the runs
 * on. Results of runs the engine has cached are decided without a lock, in
 * one statement (CachedResultDecisions); the rest of a fetched batch is one
 * transaction with a fixed number of statements (lock, read, write, outbox),
 * however many runs it touches.
 */
@Injectable()
export class ApplyTaskResultUseCase {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly runs: RunsRepository,
    private readonly progress: RunProgress,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly heldWork: HeldWorkRepository,
    private readonly cached: CachedResultDecisions,
  ) {}

  /** Results of one partition, in order: one run's results are applied in the order they came. */
  async executeBatch(deliveries: ResultDelivery[]): Promise<void> {
    const seen = new Set<string>();
    const results: ParsedResult[] = deliveries
      .filter(({ envelope }) => !seen.has(envelope.id) && Boolean(seen.add(envelope.id)))
      .map(({ envelope, traceparent, topic }) => ({
        envelope,
        traceparent,
        topic,
        result: validateInto(TaskResultMessage, envelope.data, 'result'),
      }));
    const rest = await this.cached.apply(results);
    if (rest.length > 0) await this.applyLocked(rest);
  }

  /** Under the runs' row locks, from what the database holds of them. */
  private async applyLocked(todo: ParsedResult[]): Promise<void> {
    await this.uow.run(async (tx) => {
      // No inbox: a result is applied only to the running attempt it answers, so a
      // redelivered one finds its step finished and is ignored (a natural key).
      // Every decision about a run holds the run's row lock: one decision at a time per run.
      const locked = await this.runs.lockRunsOfTasks(
        tx.manager,
        todo.map(({ result }) => result.task_id),
      );
      const runs = new Map(locked.map((run) => [run.id, run]));
      const writes = this.progress.newWrites();
      const runOfTask = new Map<string, string>();
      for (const run of runs.values()) writes.remember(run.id, []);
      for (const row of await this.runs.loadExecutionsOfRuns(tx.manager, [...runs.keys()])) {
        runOfTask.set(row.taskId, row.runId);
        writes.recordsOf(row.runId)!.push(toRecord(row));
      }

      for (const item of todo) {
        const { envelope, result } = item;
        const run = runs.get(runOfTask.get(result.task_id) ?? '');
        if (!run) continue; // a task the engine did not send (e.g. a direct invoke)
        // A paused run keeps the result until it resumes (runs/store/held-work.repository.ts).
        if (run.status === 'paused') {
          await this.heldWork.holdResult(tx.manager, run.id, envelope);
          continue;
        }
        if (run.status !== 'running') continue;
        const step = writes.recordsOf(run.id)?.find((r) => r.taskId === result.task_id);
        if (!step || step.attempt !== result.attempt || step.status !== 'running') {
          this.logLate(result, step);
          continue;
        }
        await withResultDecisionSpan(item, run.id, step.name, () =>
          this.progress.advance(tx, run, taskResultInput(result), envelope, writes),
        );
      }
      await writes.flush(tx);
    });
  }

  private logLate(result: Result, step: StepRecord | undefined): void {
    this.logger.info(
      {
        task_id: result.task_id,
        attempt: result.attempt,
        current_attempt: step?.attempt,
        status: step?.status,
      },
      'late or duplicate task result ignored',
    );
  }
}
