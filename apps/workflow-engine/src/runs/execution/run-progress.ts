import {
  createEnvelope,
  DomainError,
  ErrorCodes,
  FlowEventTypes,
  MessageTypes,
  Topics,
  WorkflowEventTypes,
  type ActionTaskMessage,
  type Envelope,
} from '@baton/contracts';
import type { Transaction } from '@baton/database';
import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { agentTaskMessage } from './agent-task-message';
import { HeldWorkRepository } from '../store/held-work.repository';
import type { RunEntity, RunError } from '../store/run.entity';
import type { Effect, RunContext, RunInput, RunOutcome } from '../../interpreter/effects';
import { createContext, decide } from '../../interpreter/planner';
import { retryProblem } from '../../interpreter/retry';
import { initialState, legacyState, type StepError } from '../../interpreter/state';
import { EarlyEventsRepository } from '../store/early-events.repository';
import { RunCache } from '../store/run-cache';
import { RunsRepository } from '../store/runs.repository';
import { RunWrites } from '../store/run-writes';
import { toRecord } from '../store/step-record.mapper';
import { TimerKinds } from '../store/timer-kinds';
import { WorkflowDefinitions } from '../../workflows/workflow-definitions';
import { workflowEvent } from './workflow-events';

export { TimerKinds } from '../store/timer-kinds';

/** The failure that ends a run (kept for callers of the sequential engine's API). */
export type StepFailure = StepError;

/**
 * Runs the interpreter on a locked run and writes what it decided (records,
 * control state, timers, waits, outbox messages) in the caller's transaction:
 * a step is dispatched if and only if the state that dispatched it commits.
 */
@Injectable()
export class RunProgress {
  constructor(
    private readonly runs: RunsRepository,
    private readonly definitions: WorkflowDefinitions,
    private readonly held: HeldWorkRepository,
    private readonly earlyEvents: EarlyEventsRepository,
    private readonly cache: RunCache,
  ) {}

  /** A buffer for decisions whose written runs go to the engine's RunCache on commit. */
  newWrites(): RunWrites {
    return new RunWrites(this.cache);
  }

  /** The first decision of a run whose row was inserted in this transaction. */
  start(
    tx: Transaction,
    run: RunEntity,
    definition: WorkflowDefinition,
    cause?: Envelope,
    writes?: RunWrites,
  ): Promise<void> {
    return this.decide(tx, run, { kind: 'start' }, cause, definition, writes);
  }

  /**
   * Something happened to a running run (a result, a timer, an event...): decide and persist.
   * Given `writes`, the decision's writes wait there for the caller's one flush (a batch).
   */
  advance(
    tx: Transaction,
    run: RunEntity,
    input: RunInput,
    cause?: Envelope,
    writes?: RunWrites,
  ): Promise<void> {
    return this.decide(tx, run, input, cause, undefined, writes);
  }

  /**
   * A decision that needs nothing from the database but what `writes` already
   * holds of the run (its records, from the RunCache): taken and buffered only
   * if its effects are all rows and messages of the decision's own statement
   * (dispatches, timers, events). Otherwise it returns false with nothing
   * buffered, and `run` and its records are left part-decided: the caller
   * throws them away and decides again on the locked path.
   */
  async advanceIfSelfContained(
    tx: Transaction,
    run: RunEntity,
    input: RunInput,
    cause: Envelope | undefined,
    writes: RunWrites,
  ): Promise<boolean> {
    if (run.status !== 'running') return false;
    const ctx = await this.contextFor(tx, run, undefined, writes);
    await decide(ctx, input);
    if (!ctx.effects.every(isSelfContained)) return false;
    await this.persist(tx, run, ctx, cause, writes);
    return true;
  }

  /** Ends a running run as failed, cancelling whatever it still waits for. */
  failRun(tx: Transaction, run: RunEntity, failure: StepFailure, cause?: Envelope): Promise<void> {
    return this.decide(tx, run, { kind: 'fail', error: failure }, cause);
  }

  /**
   * Cancels a running or paused run: its steps, timers, waits and child runs
   * (which cancel theirs in turn), and whatever it was holding while paused.
   */
  async cancelRun(
    tx: Transaction,
    run: RunEntity,
    reason?: string,
    cause?: Envelope,
  ): Promise<void> {
    if (run.status !== 'running' && run.status !== 'paused') return;
    const ctx = await this.contextFor(tx, run);
    await decide(ctx, { kind: 'cancel', reason });
    await this.persist(tx, run, ctx, cause);
    await this.held.discard(tx.manager, run.id);
  }

  /**
   * `/retry` of a failed run: the step whose failure failed it is sent again
   * as a new attempt and the run is `running` again (run-retry.ts). A run
   * that did not fail at a step that can be sent again is a conflict.
   */
  async retryRun(tx: Transaction, run: RunEntity, cause?: Envelope): Promise<void> {
    if (run.status !== 'failed') return;
    const ctx = await this.contextFor(tx, run);
    const problem = retryProblem(ctx);
    if (problem) {
      throw new DomainError(ErrorCodes.conflict, `run ${run.id} cannot be retried: ${problem}`);
    }
    const now = new Date();
    await tx.manager.query(
      `UPDATE runs SET status = 'running', error = NULL, output = NULL, updated_at = $2,
              finished_at = NULL
        WHERE id = $1`,
      [run.id, now],
    );
    Object.assign(run, { status: 'running', error: null, output: null, finishedAt: null });
    await decide(ctx, { kind: 'retry' });
    await this.persist(tx, run, ctx, cause);
  }

  private async decide(
    tx: Transaction,
    run: RunEntity,
    input: RunInput,
    cause?: Envelope,
    fresh?: WorkflowDefinition,
    writes?: RunWrites,
  ): Promise<void> {
    // Only running runs move: a paused one holds what arrives (runs/store/held-work.repository.ts).
    if (run.status !== 'running') return;
    const ctx = await this.contextFor(tx, run, fresh, writes);
    await decide(ctx, input);
    await this.persist(tx, run, ctx, cause, writes);
  }

  /** The interpreter's view of a locked run: its definition, step executions and control state. */
  private async contextFor(
    tx: Transaction,
    run: RunEntity,
    fresh?: WorkflowDefinition,
    writes?: RunWrites,
  ): Promise<RunContext> {
    const definition =
      fresh ??
      (await this.definitions.get(run.workspaceId, run.workflow, run.workflowVersion, tx.manager));
    const records = fresh
      ? []
      : (writes?.recordsOf(run.id) ??
        (await this.runs.loadExecutionsOfRuns(tx.manager, [run.id])).map(toRecord));
    return createContext({
      definition,
      run: {
        id: run.id,
        workflow: run.workflow,
        version: run.workflowVersion,
        input: run.input,
        trigger: run.trigger ?? undefined,
      },
      state: run.state ?? (fresh ? initialState() : legacyState(records)),
      records,
      newId: randomUUID,
    });
  }

  /**
   * Writes what a decision changed and carries out its effects, in the
   * caller's transaction: into `batch` when the caller flushes many decisions
   * at once, else flushed here.
   */
  private async persist(
    tx: Transaction,
    run: RunEntity,
    ctx: RunContext,
    cause?: Envelope,
    batch?: RunWrites,
  ): Promise<void> {
    const writes = batch ?? this.newWrites();
    writes.saveRecords(
      run.id,
      ctx.records.values(),
      [...ctx.dirty].map((key) => ctx.records.get(key)!),
    );
    for (const effect of ctx.effects) await this.carryOut(tx, run, effect, writes, cause);
    this.saveRun(tx, run, ctx, writes, cause);
    if (!batch) await writes.flush(tx);
  }

  private async carryOut(
    tx: Transaction,
    run: RunEntity,
    effect: Effect,
    writes: RunWrites,
    cause?: Envelope,
  ): Promise<void> {
    const manager = tx.manager;
    const now = Date.now();
    const addTimer = (kind: string, fireAt: Date, payload: Record<string, unknown>) =>
      writes.addTimer({ runId: run.id, kind, fireAt, payload });
    switch (effect.kind) {
      case 'dispatch':
        return this.dispatch(tx, run, effect, cause);
      case 'start-child':
        return addTimer(TimerKinds.startChild, new Date(now), {
          task_id: effect.taskId,
          attempt: effect.attempt,
          workflow: effect.workflow,
          input: effect.input ?? null,
        });
      case 'await-event': {
        const wait = {
          workspaceId: run.workspaceId,
          type: effect.eventType,
          correlation: effect.correlation,
        };
        // The event may have come first (a fast callback): then it ends the wait at once,
        // as a due-now signal handled in a transaction of its own.
        const early = await this.earlyEvents.take(manager, wait);
        if (early) {
          return addTimer(TimerKinds.waitEvent, new Date(now), {
            task_id: effect.taskId,
            type: early.type,
            data: early.data,
          });
        }
        return this.runs.addWait(manager, { ...wait, taskId: effect.taskId, runId: run.id });
      }
      case 'timer':
        return addTimer(effect.timer, new Date(now + effect.delayMs), {
          ...(effect.taskId ? { task_id: effect.taskId } : {}),
          ...(effect.attempt !== undefined ? { attempt: effect.attempt } : {}),
        });
      case 'release':
        writes.releaseTimers(run.id, effect.taskId);
        if (effect.waits) await this.runs.deleteTaskWaits(manager, effect.taskId);
        if (effect.children) {
          for (const child of await this.runs.runningChildren(manager, effect.taskId)) {
            writes.addTimer({
              runId: child,
              kind: TimerKinds.cancelRun,
              fireAt: new Date(now),
              payload: { reason: 'the parent step no longer waits for this run' },
            });
          }
        }
        return;
      case 'event':
        tx.publish(workflowEvent(effect.type, run, effect.data, cause));
        return;
    }
  }

  /** Sends a step's current attempt to its agent or connector. */
  private dispatch(
    tx: Transaction,
    run: RunEntity,
    effect: Extract<Effect, { kind: 'dispatch' }>,
    cause?: Envelope,
  ): void {
    const common = {
      source: 'workflow-engine',
      subject: run.id,
      workspaceId: run.workspaceId,
      correlationId: run.correlationId,
      causedBy: cause,
    };
    if (effect.target === 'agent') {
      tx.publish(
        agentTaskMessage(
          run,
          {
            taskId: effect.taskId,
            attempt: effect.attempt,
            agent: effect.name,
            step: effect.step,
            input: effect.input,
            ...(effect.timeoutMs ? { deadline: Date.now() + effect.timeoutMs } : {}),
          },
          cause,
        ),
      );
      return;
    }
    tx.publish({
      topic: Topics.integrationTasks,
      key: run.id,
      envelope: createEnvelope<ActionTaskMessage>({
        ...common,
        type: MessageTypes.actionTask,
        data: {
          task_id: effect.taskId,
          attempt: effect.attempt,
          action: effect.name,
          connection: effect.connection,
          input: effect.input ?? undefined,
          run_id: run.id,
          step: effect.step,
        },
      }),
    });
  }

  private saveRun(
    tx: Transaction,
    run: RunEntity,
    ctx: RunContext,
    writes: RunWrites,
    cause?: Envelope,
  ): void {
    const now = new Date();
    const outcome = ctx.outcome;
    run.state = ctx.state;
    run.updatedAt = now;
    if (!outcome) {
      writes.updateRun(run, { state: ctx.state, updatedAt: now });
      return;
    }
    const error: RunError | null =
      outcome.status === 'completed' || !outcome.error
        ? null
        : {
            type: outcome.error.type,
            message: outcome.error.message,
            ...(outcome.error.step ? { step: outcome.error.step } : {}),
          };
    const output = 'output' in outcome ? (outcome.output ?? null) : null;
    run.status = outcome.status;
    run.output = output;
    run.error = error;
    run.finishedAt = now;
    run.pausedAt = null;
    writes.updateRun(run, {
      state: ctx.state,
      updatedAt: now,
      finished: { status: run.status, output, error, at: now },
    });
    // What the run still had pending (a workflow timeout, signals to it) has no purpose left.
    writes.releaseTimers(run.id, null);
    tx.publish(workflowEvent(RUN_EVENT[outcome.status], run, runEventData(outcome), cause));
    if (run.parentRunId && run.parentTaskId) {
      // The parent's step learns in a transaction of its own (see TimerKinds).
      writes.addTimer({
        runId: run.parentRunId,
        kind: TimerKinds.childFinished,
        fireAt: now,
        payload: {
          task_id: run.parentTaskId,
          attempt: run.parentAttempt ?? 1,
          child_run_id: run.id,
          status: outcome.status,
          output,
          error,
        },
      });
    }
  }
}

/** Effects carried out by rows and messages alone: no query of the database before the write. */
function isSelfContained(effect: Effect): boolean {
  if (effect.kind === 'await-event') return false;
  if (effect.kind === 'release') return !effect.waits && !effect.children;
  return true;
}

const RUN_EVENT: Record<RunOutcome['status'], string> = {
  completed: WorkflowEventTypes.runCompleted,
  failed: WorkflowEventTypes.runFailed,
  cancelled: FlowEventTypes.runCancelled,
};

function runEventData(outcome: RunOutcome): Record<string, unknown> {
  if (outcome.status === 'completed') return { output: outcome.output };
  return {
    ...(outcome.error
      ? { error: { type: outcome.error.type, message: outcome.error.message } }
      : {}),
    ...('output' in outcome && outcome.output !== undefined ? { output: outcome.output } : {}),
  };
}
