import { evaluateCondition, type Step, type WorkflowDefinition } from '@baton/workflow-dsl';
import { completeFrame, completeLeaf, failAttempt, finishParked } from './completion';
import type { RunContext, RunInfo, RunInput } from './effects';
import { cancelRun, failRun, failStep, timeOutRun } from './failures';
import {
  StepEvents,
  emit,
  expressionFailure,
  newRecord,
  recordByTask,
  schedule,
  stepEvent,
  stepOf,
  timeoutFailure,
  touch,
} from './records';
import { retryFailed } from './retry';
import { scopeFor } from './scope';
import { dispatch } from './dispatch';
import { start } from './steps';
import { ROOT_FRAME, type ControlState, type Frame, type StepRecord } from './state';
import { stepsOf } from './step-index';

/** A decision that touches more steps than this is a `goto` loop with no work in it. */
export const MAX_STEPS_PER_DECISION = 5_000;

/**
 * The interpreter: given a run's state and something that happened, decides
 * what comes next. Pure: no database, no Kafka, no clock but `ctx.now`; it
 * changes `ctx` in place and lists the effects for the caller to carry out.
 * An expression that fails at run time fails its step with a system_error
 * naming the step and the expression; it never throws.
 */
export async function decide(ctx: RunContext, input: RunInput): Promise<void> {
  if (ctx.outcome) return;
  await react(ctx, input);
  while (ctx.queue.length > 0 && !ctx.outcome) {
    const frame = ctx.state.frames[ctx.queue.shift()!];
    if (frame && frame.current === undefined) await advance(ctx, frame);
  }
  keepRetryPoint(ctx);
}

/** A run that fails at a step keeps what `/retry` needs to send that step again. */
function keepRetryPoint(ctx: RunContext): void {
  if (!ctx.outcome) return;
  if (ctx.outcome.status === 'failed' && ctx.failure) ctx.state.retry = ctx.failure;
  else delete ctx.state.retry;
}

export interface ContextSpec {
  definition: WorkflowDefinition;
  run: RunInfo;
  state: ControlState;
  records: Iterable<StepRecord>;
  now?: () => number;
  newId: () => string;
  random?: () => number;
}

export function createContext(spec: ContextSpec): RunContext {
  return {
    definition: spec.definition,
    run: spec.run,
    state: spec.state,
    records: new Map([...spec.records].map((r) => [r.key, r])),
    now: spec.now ?? Date.now,
    newId: spec.newId,
    random: spec.random ?? Math.random,
    effects: [],
    dirty: new Set(),
    queue: [],
  };
}

async function react(ctx: RunContext, input: RunInput): Promise<void> {
  switch (input.kind) {
    case 'start':
      if (ctx.definition.timeoutMs)
        ctx.effects.push({
          kind: 'timer',
          timer: 'run-timeout',
          delayMs: ctx.definition.timeoutMs,
        });
      return schedule(ctx, ROOT_FRAME);
    case 'cancel':
      return cancelRun(ctx, input.reason);
    case 'fail':
      return failRun(ctx, input.error);
    case 'retry':
      return retryFailed(ctx);
    case 'task-result': {
      const record = recordByTask(ctx, input.taskId);
      if (!record || record.status !== 'running' || record.attempt !== input.attempt) return;
      if (input.status === 'completed') return completeLeaf(ctx, record, input.output);
      const error = input.error ?? {
        type: 'system_error',
        message: 'the task failed without a reason',
      };
      return failAttempt(ctx, record, { ...error, step: error.step ?? record.name });
    }
    case 'event': {
      const record = recordByTask(ctx, input.taskId);
      if (!record || record.status !== 'waiting') return;
      if (record.parkedBy) return finishParked(ctx, record, input.data);
      return completeLeaf(ctx, record, input.data);
    }
    case 'child-finished': {
      const record = recordByTask(ctx, input.taskId);
      if (!record || record.attempt !== input.attempt) return;
      if (record.status !== 'running' && record.status !== 'waiting') return;
      if (input.status === 'completed') {
        if (record.parkedBy) return finishParked(ctx, record, input.output);
        return completeLeaf(ctx, record, input.output);
      }
      const error = {
        type: input.error?.type ?? 'system_error',
        message:
          input.status === 'cancelled'
            ? `the run of workflow '${childWorkflow(record)}' was cancelled`
            : (input.error?.message ?? 'the child run failed'),
        step: record.name,
      };
      return record.parkedBy ? failStep(ctx, record, error) : failAttempt(ctx, record, error);
    }
    case 'timer':
      return onTimer(ctx, input);
  }
}

async function onTimer(
  ctx: RunContext,
  input: Extract<RunInput, { kind: 'timer' }>,
): Promise<void> {
  if (input.timer === 'run-timeout') {
    const after = ctx.definition.timeoutMs ?? 0;
    return timeOutRun(ctx, {
      type: 'timeout',
      message: `workflow '${ctx.run.workflow}' timed out after ${after} ms`,
    });
  }
  const record = input.taskId ? recordByTask(ctx, input.taskId) : undefined;
  if (!record) return;
  if (input.timer === 'step-timeout') {
    // Only the attempt the timer was set for can time out; a retry has its own timer.
    const active = record.status === 'running' || record.status === 'waiting';
    if (!active || record.parkedBy || record.attempt !== input.attempt) return;
    return failAttempt(ctx, record, timeoutFailure(stepOf(ctx, record)));
  }
  if (record.status !== 'retrying') return;
  record.attempt += 1;
  record.status = 'running';
  record.error = null;
  touch(ctx, record);
  dispatch(ctx, stepOf(ctx, record), record);
}

function childWorkflow(record: StepRecord): string {
  return record.parkedBy?.kind === 'workflow' ? record.parkedBy.workflow : (record.workflow ?? '');
}

/** Runs the frame's steps until one has to wait for the outside, or the list ends. */
async function advance(ctx: RunContext, frame: Frame): Promise<void> {
  const steps = stepsOf(ctx.definition, frame.list);
  while (!ctx.outcome && ctx.state.frames[frame.key] === frame && frame.current === undefined) {
    if (frame.index >= steps.length) return completeFrame(ctx, frame);
    if (ctx.dirty.size > MAX_STEPS_PER_DECISION) {
      return failRun(ctx, {
        type: 'system_error',
        message: `more than ${MAX_STEPS_PER_DECISION} steps ran without waiting for anything: a goto loop?`,
      });
    }
    const step = steps[frame.index];
    const scope = scopeFor(ctx, frame.key);
    let run = true;
    if (step.when !== undefined) {
      try {
        run = await evaluateCondition(step.when, scope);
      } catch (error) {
        const record = begin(ctx, frame, step);
        return failStep(ctx, record, expressionFailure(step, 'when', error));
      }
    }
    if (!run) {
      const record = newRecord(ctx, frame, step, 'skipped');
      emit(ctx, StepEvents.skipped, stepEvent(record));
      frame.index += 1;
      continue;
    }
    await start(ctx, frame, step, begin(ctx, frame, step), scope);
  }
}

function begin(ctx: RunContext, frame: Frame, step: Step): StepRecord {
  const record = newRecord(ctx, frame, step, 'running');
  frame.current = record.key;
  return record;
}
