import { DomainError, type Envelope } from '@baton/contracts';
import type { Transaction } from '@baton/database';
import type { WorkflowDefinition } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { HeldWorkRepository } from '../store/held-work.repository';
import type { RunEntity } from '../store/run.entity';
import {
  decide,
  initialState,
  legacyState,
  retryProblem,
  type Decision,
  type DecisionSources,
  type Effect,
  type RunInput,
  type RunState,
  type StepError,
} from '../../interpreter';
import { RunCache } from '../store/run-cache';
import { RunsRepository } from '../store/runs.repository';
import { RunWrites } from '../store/run-writes';
import { RunsEnded } from '../store/runs-ended';
import { toRecord } from '../store/step-record.mapper';
import { WorkflowDefinitions } from '../../workflows/workflow-definitions';
import { EffectExecutor } from './effect-executor';

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
    private readonly cache: RunCache,
    private readonly executor: EffectExecutor,
    private readonly ended: RunsEnded,
  ) {}

  /** A buffer for decisions whose written runs go to the engine's RunCache on commit. */
  newWrites(): RunWrites {
    return new RunWrites(this.cache, this.ended);
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
    const decision = await decide(await this.stateOf(tx, run, undefined, writes), input, SOURCES);
    if (!decision.effects.every(isSelfContained)) return false;
    await this.persist(tx, run, decision, cause, writes);
    return true;
  }

  /** Ends a running run as failed, cancelling whatever it still waits for. */
  failRun(tx: Transaction, run: RunEntity, failure: StepFailure, cause?: Envelope): Promise<void> {
    return this.decide(tx, run, { kind: 'fail', error: failure }, cause);
  }

  /**
   * Cancels a running, paused or queued run: its steps, timers, waits and
   * child runs (which cancel theirs in turn), and whatever it was holding
   * while paused. A queued run never started: it ends from its initial state.
   */
  async cancelRun(
    tx: Transaction,
    run: RunEntity,
    reason?: string,
    cause?: Envelope,
  ): Promise<void> {
    if (run.status !== 'running' && run.status !== 'paused' && run.status !== 'queued') return;
    const fresh =
      run.status === 'queued'
        ? await this.definitions.get(run.workspaceId, run.workflow, run.workflowVersion, tx.manager)
        : undefined;
    const state = await this.stateOf(tx, run, fresh);
    const decision = await decide(state, { kind: 'cancel', reason }, SOURCES);
    await this.persist(tx, run, decision, cause);
    await this.held.discard(tx.manager, run.id);
  }

  /**
   * `/retry` of a failed run: the step whose failure failed it is sent again
   * as a new attempt and the run is `running` again (interpreter/retry.ts). A run
   * that did not fail at a step that can be sent again is a conflict.
   */
  async retryRun(tx: Transaction, run: RunEntity, cause?: Envelope): Promise<void> {
    if (run.status !== 'failed') return;
    const state = await this.stateOf(tx, run);
    const problem = retryProblem(state);
    if (problem) {
      throw new DomainError('RUN.NOT_RETRYABLE', `run ${run.id} cannot be retried: ${problem}`);
    }
    const now = new Date();
    await this.runs.reopen(tx.manager, run.id, now);
    Object.assign(run, { status: 'running', error: null, output: null, finishedAt: null });
    await this.persist(tx, run, await decide(state, { kind: 'retry' }, SOURCES), cause);
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
    const decision = await decide(await this.stateOf(tx, run, fresh, writes), input, SOURCES);
    await this.persist(tx, run, decision, cause, writes);
  }

  /** The interpreter's view of a locked run: its definition, step executions and control state. */
  private async stateOf(
    tx: Transaction,
    run: RunEntity,
    fresh?: WorkflowDefinition,
    writes?: RunWrites,
  ): Promise<RunState> {
    const definition =
      fresh ??
      (await this.definitions.get(run.workspaceId, run.workflow, run.workflowVersion, tx.manager));
    const records = fresh
      ? []
      : (writes?.recordsOf(run.id) ??
        (await this.runs.loadExecutionsOfRuns(tx.manager, [run.id])).map(toRecord));
    return {
      definition,
      run: {
        id: run.id,
        workflow: run.workflow,
        version: run.workflowVersion,
        input: run.input,
        trigger: run.trigger ?? undefined,
      },
      control: run.state ?? (fresh ? initialState() : legacyState(records)),
      records,
    };
  }

  /**
   * Writes what a decision changed and carries out its effects, in the
   * caller's transaction: into `batch` when the caller flushes many decisions
   * at once, else flushed here.
   */
  private async persist(
    tx: Transaction,
    run: RunEntity,
    decision: Decision,
    cause?: Envelope,
    batch?: RunWrites,
  ): Promise<void> {
    const writes = batch ?? this.newWrites();
    await this.executor.carryOut(tx, run, decision, writes, cause);
    if (!batch) await writes.flush(tx);
  }
}

/** Where the engine's decisions get their ids (the clock and dice are the interpreter's defaults). */
const SOURCES: DecisionSources = { newId: randomUUID };

/** Effects carried out by rows and messages alone: no query of the database before the write. */
function isSelfContained(effect: Effect): boolean {
  if (effect.kind === 'await-event') return false;
  if (effect.kind === 'release') return !effect.waits && !effect.children;
  return true;
}
