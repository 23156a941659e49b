import { formatDuration, type Step } from '@baton/workflow-dsl';
import type { RunContext, RunEventData } from './effects';
import {
  ACTIVE_STATUSES,
  ROOT_FRAME,
  type Frame,
  type StepError,
  type StepRecord,
  type StepStatus,
} from './state';
import { stepIndex } from './step-index';

/** Lifecycle events of steps (run-level ones are emitted by whoever persists the outcome). */
export const StepEvents = {
  started: 'workflow.step.started',
  completed: 'workflow.step.completed',
  failed: 'workflow.step.failed',
  skipped: 'workflow.step.skipped',
  waiting: 'workflow.step.waiting',
  cancelled: 'workflow.step.cancelled',
  alert: 'workflow.alert',
  escalationRequested: 'workflow.escalation.requested',
} as const;

/** The event type that resolves an escalated step (correlation: the run id). */
export const ESCALATION_RESOLVED = 'workflow.escalation.resolved';

export function stepOf(ctx: RunContext, record: StepRecord): Step {
  const entry = stepIndex(ctx.definition).byName.get(record.name);
  if (!entry) throw new Error(`step '${record.name}' is not in ${ctx.run.workflow}`);
  return entry.step;
}

export function recordByTask(ctx: RunContext, taskId: string): StepRecord | undefined {
  for (const record of ctx.records.values()) if (record.taskId === taskId) return record;
  return undefined;
}

/** A key not used yet in this run: a step reached again through a `goto` gets `#2`, `#3`... */
export function uniqueKey(ctx: RunContext, base: string): string {
  if (!ctx.records.has(base)) return base;
  for (let n = 2; ; n++) if (!ctx.records.has(`${base}#${n}`)) return `${base}#${n}`;
}

export function childKey(frame: Frame, name: string): string {
  return frame.key === ROOT_FRAME ? name : `${frame.key}.${name}`;
}

export function newRecord(
  ctx: RunContext,
  frame: Frame,
  step: Step,
  status: StepStatus,
): StepRecord {
  const now = ctx.now();
  const record: StepRecord = {
    key: uniqueKey(ctx, childKey(frame, step.name)),
    name: step.name,
    kind: step.kind,
    frame: frame.key,
    index: frame.index,
    taskId: ctx.newId(),
    status,
    attempt: status === 'skipped' ? 0 : 1,
    agent: null,
    action: null,
    workflow: null,
    input: null,
    output: null,
    error: null,
    startedAt: now,
    finishedAt: status === 'skipped' ? now : null,
    seq: ++ctx.state.seq,
  };
  ctx.records.set(record.key, record);
  ctx.dirty.add(record.key);
  return record;
}

export function touch(ctx: RunContext, record: StepRecord): void {
  ctx.dirty.add(record.key);
}

export function emit(ctx: RunContext, type: string, data: RunEventData): void {
  ctx.effects.push({ kind: 'event', type, data });
}

export function stepEvent(record: StepRecord, extra: RunEventData = {}): RunEventData {
  return { step: record.name, path: record.key, attempt: record.attempt, ...extra };
}

export function publicError(error: StepError): { type: string; message: string } {
  return { type: error.type, message: error.message };
}

/** The step stops waiting on anything outside: timers, waits and child runs go. */
export function release(ctx: RunContext, record: StepRecord): void {
  const children = record.kind === 'workflow' || record.parkedBy?.kind === 'workflow';
  const waits = record.kind === 'wait_for_event' || record.parkedBy?.kind === 'escalate';
  ctx.effects.push({ kind: 'release', taskId: record.taskId, children, waits });
}

export function markCompleted(ctx: RunContext, record: StepRecord, output: unknown): void {
  const wasActive = ACTIVE_STATUSES.has(record.status);
  record.status = 'completed';
  record.output = output ?? null;
  record.error = null;
  record.finishedAt = ctx.now();
  record.waitingFor = undefined;
  touch(ctx, record);
  if (wasActive) release(ctx, record);
  emit(ctx, StepEvents.completed, stepEvent(record, { output: record.output }));
}

export function markFailed(ctx: RunContext, record: StepRecord, error: StepError): void {
  record.status = 'failed';
  record.error = error;
  record.finishedAt = ctx.now();
  record.waitingFor = undefined;
  touch(ctx, record);
  release(ctx, record);
  emit(ctx, StepEvents.failed, stepEvent(record, { error: publicError(error) }));
}

export function markCancelled(ctx: RunContext, record: StepRecord): void {
  if (!ACTIVE_STATUSES.has(record.status)) return;
  record.status = 'cancelled';
  record.finishedAt = ctx.now();
  record.waitingFor = undefined;
  touch(ctx, record);
  release(ctx, record);
  emit(ctx, StepEvents.cancelled, stepEvent(record));
}

/**
 * The effects that send a step's attempt somewhere, written once so every path
 * (first start, retry, failure handler) asks the executor for the same thing.
 */
export function armStepTimeout(ctx: RunContext, record: StepRecord, timeoutMs: number): void {
  ctx.effects.push({
    kind: 'timer',
    timer: 'step-timeout',
    taskId: record.taskId,
    attempt: record.attempt,
    delayMs: timeoutMs,
  });
}

/** The record now waits for an event of this type and correlation. */
export function awaitEvent(
  ctx: RunContext,
  record: StepRecord,
  waitingFor: NonNullable<StepRecord['waitingFor']>,
): void {
  record.waitingFor = waitingFor;
  ctx.effects.push({
    kind: 'await-event',
    key: record.key,
    step: record.name,
    taskId: record.taskId,
    eventType: waitingFor.type,
    correlation: waitingFor.correlation,
  });
}

/** Starts a child run for the record's current attempt. */
export function startChild(
  ctx: RunContext,
  record: StepRecord,
  workflow: string,
  input: unknown,
): void {
  ctx.effects.push({
    kind: 'start-child',
    key: record.key,
    step: record.name,
    taskId: record.taskId,
    attempt: record.attempt,
    workflow,
    input,
  });
}

export function schedule(ctx: RunContext, frameKey: string): void {
  ctx.queue.push(frameKey);
}

/** Moves the record's frame past it, if the frame still waits on it. */
export function continueAfter(ctx: RunContext, record: StepRecord): void {
  const frame = ctx.state.frames[record.frame];
  if (!frame || frame.current !== record.key) return;
  frame.index = record.index + 1;
  frame.current = undefined;
  schedule(ctx, frame.key);
}

export function removeFrame(ctx: RunContext, frameKey: string): void {
  delete ctx.state.frames[frameKey];
}

export function expressionFailure(step: Step, where: string, error: unknown): StepError {
  const message = error instanceof Error ? error.message : String(error);
  return {
    type: 'system_error',
    message: `step '${step.name}' ${where}: ${message}`,
    step: step.name,
  };
}

export function timeoutFailure(step: Step): StepError {
  const after = step.timeoutMs ? ` after ${formatDuration(step.timeoutMs)}` : '';
  const what = step.kind === 'wait_for_event' ? ` waiting for event '${step.eventType}'` : '';
  return {
    type: 'timeout',
    message: `step '${step.name}' timed out${after}${what}`,
    step: step.name,
  };
}
