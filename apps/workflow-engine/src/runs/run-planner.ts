import {
  evaluateCondition,
  evaluateTemplate,
  type ExpressionScope,
  type NameRef,
  type Step,
  type WorkflowDefinition,
} from '@baton/workflow-dsl';
import {
  completeFrame,
  completeLeaf,
  failAttempt,
  finishParked,
  finishStep,
  launchIterations,
} from './run-completion';
import type { RunContext, RunInfo, RunInput } from './run-effects';
import { cancelRun, failRun, failStep, jumpTo } from './run-failures';
import {
  StepEvents,
  emit,
  expressionFailure,
  markCompleted,
  newRecord,
  recordByTask,
  schedule,
  stepEvent,
  stepOf,
  timeoutFailure,
  touch,
} from './run-records';
import { scopeFor } from './run-scope';
import { ROOT_FRAME, type ControlState, type Frame, type StepRecord } from './run-state';
import { stepsOf } from './step-index';

/** Step kinds whose timeout is armed once when they start (tasks arm one per attempt). */
const CONTAINER_OR_WAIT = new Set(['switch', 'parallel', 'foreach', 'wait_for_event']);
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
    return failRun(ctx, {
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

async function start(
  ctx: RunContext,
  frame: Frame,
  step: Step,
  record: StepRecord,
  scope: ExpressionScope,
): Promise<void> {
  let phase = 'input';
  try {
    if (step.timeoutMs && CONTAINER_OR_WAIT.has(step.kind)) {
      ctx.effects.push({
        kind: 'timer',
        timer: 'step-timeout',
        taskId: record.taskId,
        attempt: record.attempt,
        delayMs: step.timeoutMs,
      });
    }
    switch (step.kind) {
      case 'agent':
      case 'action':
      case 'workflow': {
        record.input =
          step.input === undefined ? ctx.run.input : await evaluateTemplate(step.input, scope);
        phase = step.kind;
        const target =
          step.kind === 'action'
            ? step.action
            : await resolveName(step.kind === 'agent' ? step.agent : step.workflow, scope);
        if (!target) {
          return failStep(ctx, record, {
            type: 'system_error',
            message: `step '${step.name}' resolved to no ${step.kind}`,
            step: step.name,
          });
        }
        if (step.kind === 'agent') record.agent = target;
        else if (step.kind === 'action') record.action = target;
        else record.workflow = target;
        return dispatch(ctx, step, record);
      }
      case 'wait_for_event': {
        phase = 'correlation';
        const value =
          step.correlation === undefined
            ? undefined
            : await evaluateTemplate(step.correlation, scope);
        const correlation =
          value === undefined || value === null
            ? null
            : typeof value === 'string'
              ? value
              : JSON.stringify(value);
        record.status = 'waiting';
        record.waitingFor = { type: step.eventType, correlation };
        ctx.effects.push({
          kind: 'await-event',
          key: record.key,
          step: step.name,
          taskId: record.taskId,
          eventType: step.eventType,
          correlation,
        });
        return emit(
          ctx,
          StepEvents.waiting,
          stepEvent(record, { event_type: step.eventType, correlation }),
        );
      }
      case 'switch':
        return await startSwitch(ctx, frame, step, record, scope, (p) => (phase = p));
      case 'parallel': {
        emit(ctx, StepEvents.started, stepEvent(record));
        if (step.branches.length === 0) return await finishStep(ctx, record, []);
        const frames = step.branches.map((_, slot) => `${record.key}[${slot}]`);
        ctx.state.containers[record.key] = {
          kind: 'parallel',
          key: record.key,
          frames,
          join: step.join,
          branches: step.branches.map(() => ({ status: 'running' })),
        };
        frames.forEach((key, slot) => {
          ctx.state.frames[key] = {
            key,
            list: { step: step.name, branch: slot },
            index: 0,
            parent: frame.key,
            owner: record.key,
            slot,
          };
          schedule(ctx, key);
        });
        return;
      }
      case 'foreach': {
        phase = 'items';
        const items = await evaluateTemplate(step.items, scope);
        const list = items === undefined || items === null ? [] : items;
        if (!Array.isArray(list)) {
          return failStep(ctx, record, {
            type: 'system_error',
            message: `step '${step.name}' items must be a list, not ${typeof list}`,
            step: step.name,
          });
        }
        record.input = list;
        emit(ctx, StepEvents.started, stepEvent(record));
        if (list.length === 0) return await finishStep(ctx, record, []);
        ctx.state.containers[record.key] = {
          kind: 'foreach',
          key: record.key,
          frames: [],
          items: list,
          next: 0,
          done: 0,
          outputs: list.map(() => null),
        };
        return launchIterations(ctx, record);
      }
    }
  } catch (error) {
    return failStep(ctx, record, expressionFailure(step, phase, error));
  }
}

async function startSwitch(
  ctx: RunContext,
  frame: Frame,
  step: Extract<Step, { kind: 'switch' }>,
  record: StepRecord,
  scope: ExpressionScope,
  setPhase: (phase: string) => void,
): Promise<void> {
  let chosen: { index: number; then: (typeof step.cases)[number]['then'] } | undefined;
  for (const [index, c] of step.cases.entries()) {
    setPhase(`switch case ${index + 1}`);
    if (await evaluateCondition(c.when, scope)) {
      chosen = { index, then: c.then };
      break;
    }
  }
  if (!chosen && step.default) chosen = { index: -1, then: step.default.then };
  const label = chosen ? (chosen.index === -1 ? 'default' : chosen.index + 1) : null;
  emit(ctx, StepEvents.started, stepEvent(record, { case: label }));
  if (!chosen) return finishStep(ctx, record, null);
  if (chosen.then.kind === 'goto') {
    markCompleted(ctx, record, { case: label, goto: chosen.then.step });
    return jumpTo(ctx, frame, chosen.then.step);
  }
  record.input = { case: label };
  const key = record.key;
  ctx.state.containers[key] = { kind: 'switch', key, frames: [key] };
  ctx.state.frames[key] = {
    key,
    list: { step: step.name, branch: chosen.index },
    index: 0,
    parent: frame.key,
    owner: key,
  };
  schedule(ctx, key);
}

async function resolveName(ref: NameRef, scope: ExpressionScope): Promise<string | undefined> {
  if (ref.kind === 'static') return ref.name;
  const value = await evaluateTemplate(ref.template, scope);
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Sends the record's current attempt out: a task, an action, or a child run. */
function dispatch(ctx: RunContext, step: Step, record: StepRecord): void {
  if (record.kind === 'workflow') {
    ctx.effects.push({
      kind: 'start-child',
      key: record.key,
      step: record.name,
      taskId: record.taskId,
      attempt: record.attempt,
      workflow: record.workflow!,
      input: record.input,
    });
  } else {
    ctx.effects.push({
      kind: 'dispatch',
      key: record.key,
      step: record.name,
      taskId: record.taskId,
      attempt: record.attempt,
      target: record.kind === 'agent' ? 'agent' : 'action',
      name: (record.agent ?? record.action)!,
      ...(step.kind === 'action' && step.connection ? { connection: step.connection } : {}),
      input: record.input,
      ...(step.timeoutMs ? { timeoutMs: step.timeoutMs } : {}),
    });
  }
  if (step.timeoutMs) {
    ctx.effects.push({
      kind: 'timer',
      timer: 'step-timeout',
      taskId: record.taskId,
      attempt: record.attempt,
      delayMs: step.timeoutMs,
    });
  }
  emit(ctx, StepEvents.started, stepEvent(record));
}
