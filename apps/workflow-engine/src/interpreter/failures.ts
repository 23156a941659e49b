import type { HandlerTarget } from '@baton/workflow-dsl';
import type { RunContext } from './effects';
import {
  ESCALATION_RESOLVED,
  StepEvents,
  awaitEvent,
  emit,
  markCancelled,
  markCompleted,
  markFailed,
  publicError,
  removeFrame,
  schedule,
  startChild,
  stepEvent,
  stepOf,
  touch,
} from './records';
import {
  ACTIVE_STATUSES,
  ROOT_FRAME,
  type Frame,
  type ParkedBy,
  type StepError,
  type StepRecord,
} from './state';
import { failurePoint } from './retry-point';
import { sameList, stepIndex } from './step-index';

/** Workflow-level handlers a run may take before a failure simply fails it. */
export const MAX_WORKFLOW_HANDLERS = 10;

/**
 * A step failed for good (no retry left): record it, stop what it started,
 * then let its `on_error`, its enclosing steps and finally the workflow's
 * `error_handlers` decide what happens.
 */
export function failStep(
  ctx: RunContext,
  record: StepRecord,
  error: StepError,
  propagated = false,
): void {
  // A container failing because of a step inside it keeps that step as the one to retry.
  if (!propagated) ctx.failure = failurePoint(ctx, record);
  markFailed(ctx, record, error);
  if (ctx.state.containers[record.key]) cancelContainer(ctx, record.key);
  handleFailure(ctx, record, error);
}

function handleFailure(ctx: RunContext, record: StepRecord, error: StepError): void {
  const target = stepOf(ctx, record).onError;
  if (target && !record.parkedBy) {
    if (target.kind === 'step') return jumpFrom(ctx, record, target.step);
    if (target.kind === 'workflow')
      return park(ctx, record, { kind: 'workflow', workflow: target.workflow }, error);
    switch (target.handler) {
      case 'return-to-user':
        return returnToUser(ctx, error);
      case 'escalate':
        return park(ctx, record, { kind: 'escalate' }, error);
      case 'notify-admin':
        alert(ctx, record, error, 'on_error');
        break; // and go on failing
    }
  }
  propagate(ctx, record, error);
}

/** The failure leaves the step's frame: its container (or the workflow) deals with it. */
function propagate(ctx: RunContext, record: StepRecord, error: StepError): void {
  const frame = ctx.state.frames[record.frame];
  if (!frame || frame.current !== record.key) return; // the frame was cancelled meanwhile
  if (frame.key === ROOT_FRAME) return workflowHandlers(ctx, record, error);
  const ownerKey = frame.owner!;
  const container = ctx.state.containers[ownerKey];
  const owner = ctx.records.get(ownerKey);
  if (!container || !owner) return;
  removeFrame(ctx, frame.key);
  container.frames = container.frames.filter((key) => key !== frame.key);
  if (container.kind === 'parallel' && container.join === 'any') {
    container.branches[frame.slot!] = { status: 'failed' };
    if (container.branches.some((b) => b.status === 'running' || b.status === 'completed')) return;
    delete ctx.state.containers[ownerKey];
    return failStep(
      ctx,
      owner,
      { ...error, message: `every branch of '${owner.name}' failed; the last: ${error.message}` },
      true,
    );
  }
  // switch, parallel (all) and foreach fail with their first failing step.
  cancelContainer(ctx, ownerKey);
  failStep(ctx, owner, error, true);
}

/**
 * The workflow's own `timeout` passed: the step the run is at (with whatever
 * it runs) fails with a timeout, and the workflow's `error_handlers` decide,
 * as for any timeout that reaches them. Its own `on_error` is not asked: the
 * step did not fail, the run ran out of time.
 */
export function timeOutRun(ctx: RunContext, error: StepError): void {
  const root = ctx.state.frames[ROOT_FRAME];
  const current = root?.current ? ctx.records.get(root.current) : undefined;
  if (!current || !ACTIVE_STATUSES.has(current.status)) return failRun(ctx, error);
  ctx.failure = failurePoint(ctx, current);
  const failed = { ...error, step: current.name };
  markFailed(ctx, current, failed);
  if (ctx.state.containers[current.key]) cancelContainer(ctx, current.key);
  workflowHandlers(ctx, current, failed);
}

/** A failure reached the workflow's own list: `error_handlers` by error type, then `default`. */
function workflowHandlers(ctx: RunContext, record: StepRecord, error: StepError): void {
  const handlers = ctx.definition.errorHandlers;
  const target: HandlerTarget | undefined = handlers[error.type] ?? handlers.default;
  const reentering = target?.kind === 'step' && target.step === record.name;
  if (!target || record.parkedBy || reentering || ctx.state.handled >= MAX_WORKFLOW_HANDLERS) {
    return failRun(ctx, error);
  }
  ctx.state.handled += 1;
  switch (target.kind) {
    case 'step':
      return jumpTo(ctx, ctx.state.frames[ROOT_FRAME], target.step);
    case 'workflow':
      return park(ctx, record, { kind: 'workflow', workflow: target.workflow }, error);
    case 'builtin':
      if (target.handler === 'return-to-user') return returnToUser(ctx, error);
      if (target.handler === 'escalate') return park(ctx, record, { kind: 'escalate' }, error);
      alert(ctx, record, error, 'error_handlers');
      return failRun(ctx, error);
  }
}

/**
 * Hands a failed step to a handler that answers later: it waits again, and
 * the handler's answer (the escalation event's data, or the handler
 * workflow's output) becomes its output; the run then goes on after it.
 */
export function park(ctx: RunContext, record: StepRecord, by: ParkedBy, error: StepError): void {
  record.status = 'waiting';
  record.parkedBy = by;
  record.error = error;
  record.finishedAt = null;
  touch(ctx, record);
  if (by.kind === 'escalate') {
    awaitEvent(ctx, record, { type: ESCALATION_RESOLVED, correlation: ctx.run.id });
    emit(ctx, StepEvents.escalationRequested, stepEvent(record, { error: publicError(error) }));
  } else {
    // The handler's run is a new attempt: a late answer meant for the failed one cannot end it.
    record.attempt += 1;
    startChild(ctx, record, by.workflow, {
      error: publicError(error),
      step: record.name,
      input: ctx.run.input,
    });
  }
  emit(ctx, StepEvents.waiting, stepEvent(record, { handler: by.kind }));
}

function alert(ctx: RunContext, record: StepRecord, error: StepError, via: string): void {
  emit(ctx, StepEvents.alert, stepEvent(record, { error: publicError(error), via }));
}

function returnToUser(ctx: RunContext, error: StepError): void {
  cancelAll(ctx);
  ctx.outcome = {
    status: 'failed',
    error,
    output: { type: error.type, message: error.message, step: error.step ?? null },
  };
}

export function failRun(ctx: RunContext, error: StepError): void {
  cancelAll(ctx);
  ctx.outcome = { status: 'failed', error };
}

export function cancelRun(ctx: RunContext, reason?: string): void {
  cancelAll(ctx);
  ctx.outcome = {
    status: 'cancelled',
    ...(reason ? { error: { type: 'cancelled', message: reason } } : {}),
  };
}

/** Stops every frame, container and active step of the run. */
function cancelAll(ctx: RunContext): void {
  const root = ctx.state.frames[ROOT_FRAME];
  if (root) cancelFrame(ctx, root);
  for (const frame of Object.values(ctx.state.frames)) cancelFrame(ctx, frame);
  for (const record of ctx.records.values())
    if (ACTIVE_STATUSES.has(record.status)) markCancelled(ctx, record);
  ctx.queue.length = 0;
}

function cancelFrame(ctx: RunContext, frame: Frame): void {
  removeFrame(ctx, frame.key);
  const current = frame.current ? ctx.records.get(frame.current) : undefined;
  if (!current) return;
  if (ctx.state.containers[current.key]) cancelContainer(ctx, current.key);
  markCancelled(ctx, current);
}

/** Cancels what a switch, parallel or foreach still runs, and forgets its bookkeeping. */
export function cancelContainer(ctx: RunContext, key: string): void {
  const container = ctx.state.containers[key];
  if (!container) return;
  delete ctx.state.containers[key];
  for (const frameKey of container.frames) {
    const frame = ctx.state.frames[frameKey];
    if (frame) cancelFrame(ctx, frame);
  }
}

/** `on_error: <step>`: control goes on at that step, in the failed step's list or an enclosing one. */
function jumpFrom(ctx: RunContext, record: StepRecord, target: string): void {
  const frame = ctx.state.frames[record.frame];
  if (!frame || frame.current !== record.key) return;
  jumpTo(ctx, frame, target);
}

/**
 * Moves control to `target`, leaving enclosing switch lists on the way (the
 * validator allows no other exit: a jump never leaves a parallel branch or a
 * foreach body). A switch left this way counts as completed.
 */
export function jumpTo(ctx: RunContext, from: Frame, target: string): void {
  const entry = stepIndex(ctx.definition).byName.get(target);
  let frame: Frame | undefined = from;
  while (frame && entry && !sameList(frame.list, entry.list)) {
    const ownerKey = frame.owner;
    const container = ownerKey ? ctx.state.containers[ownerKey] : undefined;
    const owner = ownerKey ? ctx.records.get(ownerKey) : undefined;
    if (!container || container.kind !== 'switch' || !owner || frame.parent === null) break;
    removeFrame(ctx, frame.key);
    delete ctx.state.containers[owner.key];
    markCompleted(ctx, owner, null);
    frame = ctx.state.frames[frame.parent];
  }
  if (!frame || !entry || !sameList(frame.list, entry.list)) {
    return failRun(ctx, {
      type: 'system_error',
      message: `cannot jump to step '${target}' from here`,
      step: target,
    });
  }
  frame.index = entry.index;
  frame.current = undefined;
  schedule(ctx, frame.key);
}
