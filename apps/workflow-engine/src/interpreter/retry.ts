import type { RunContext } from './effects';
import { park } from './failures';
import {
  StepEvents,
  armStepTimeout,
  awaitEvent,
  emit,
  schedule,
  stepEvent,
  stepOf,
  touch,
} from './records';
import { dispatch } from './dispatch';
import {
  ACTIVE_STATUSES,
  type ActiveStep,
  type RetryPoint,
  type StepError,
  type StepRecord,
} from './state';

/** The run event of a retry (WorkflowOpsEventTypes.runRetried in the contracts). */
export const RUN_RETRIED = 'workflow.run.retried';

/** Steps that send work out and can send it again; anything else would only fail the same way. */
const RETRIABLE_KINDS = new Set(['agent', 'action', 'workflow']);

/** Why this failed run cannot be retried from its failed step, or undefined if it can. */
export function retryProblem(ctx: RunContext): string | undefined {
  const point = ctx.state.retry;
  if (!point) {
    return 'it did not fail at a step (a workflow timeout, or a run that failed before retries existed)';
  }
  const record = ctx.records.get(point.key);
  if (!record || record.status !== 'failed') return `its failed step '${point.key}' is gone`;
  if (!RETRIABLE_KINDS.has(record.kind)) {
    return `its failed step '${record.key}' is a ${record.kind} step, which cannot be sent again`;
  }
  if (!(record.agent ?? record.action ?? record.workflow)) {
    return `its failed step '${record.key}' failed before it was sent out (its expressions would fail again)`;
  }
  return undefined;
}

/**
 * `/retry`: puts back the frames and containers as they were when the step
 * failed, sends the failed step again as attempt + 1 (same task id and
 * input, so an answer to the failed attempt is still ignored), and restarts
 * what that failure had cancelled: the other branches or iterations that were
 * running, waits and escalations, enclosing containers. Finished steps keep
 * their outputs. Call only when `retryProblem` found none.
 */
export function retryFailed(ctx: RunContext): void {
  const point = ctx.state.retry;
  const failed = point ? ctx.records.get(point.key) : undefined;
  if (!point || !failed) return;
  delete ctx.state.retry;
  ctx.state.frames = point.frames;
  ctx.state.containers = point.containers;
  emit(ctx, RUN_RETRIED, stepEvent(failed, { attempt: failed.attempt + 1 }));
  if (ctx.definition.timeoutMs) {
    // The workflow's own timeout starts again: the failed run's was dropped when it failed.
    ctx.effects.push({ kind: 'timer', timer: 'run-timeout', delayMs: ctx.definition.timeoutMs });
  }
  for (const step of point.active) {
    const record = ctx.records.get(step.key);
    if (record && !ACTIVE_STATUSES.has(record.status)) reactivate(ctx, record, step, point);
  }
  resend(ctx, failed);
  // Lists that had not reached their next step yet (a branch started in the failing decision).
  for (const frame of Object.values(ctx.state.frames)) {
    if (frame.current === undefined) schedule(ctx, frame.key);
  }
}

/** A new attempt of a task, action or sub-workflow step, from a clean slate. */
function resend(ctx: RunContext, record: StepRecord): void {
  record.attempt += 1;
  record.status = 'running';
  record.error = null;
  record.output = null;
  record.startedAt = ctx.now();
  record.finishedAt = null;
  delete record.parkedBy;
  delete record.waitingFor;
  touch(ctx, record);
  dispatch(ctx, stepOf(ctx, record), record);
}

/** Restarts a step the failure had stopped, in the way it was active then. */
function reactivate(ctx: RunContext, record: StepRecord, was: ActiveStep, point: RetryPoint): void {
  const step = stepOf(ctx, record);
  if (was.parkedBy) {
    // Its handler (escalation or handler workflow) is asked again.
    const error: StepError = record.error ?? {
      type: 'system_error',
      message: 'unknown',
      step: record.name,
    };
    return park(ctx, record, was.parkedBy, error);
  }
  if (RETRIABLE_KINDS.has(record.kind) && !point.containers[record.key]) {
    return resend(ctx, record);
  }
  record.status = was.status;
  record.error = null;
  record.finishedAt = null;
  touch(ctx, record);
  // A container or a wait arms its timeout once, when it starts: it gets its whole time again.
  if (step.timeoutMs) armStepTimeout(ctx, record, step.timeoutMs);
  if (record.kind === 'wait_for_event' && was.waitingFor) {
    awaitEvent(ctx, record, was.waitingFor);
    emit(
      ctx,
      StepEvents.waiting,
      stepEvent(record, {
        event_type: was.waitingFor.type,
        correlation: was.waitingFor.correlation,
      }),
    );
  }
}
