import {
  evaluateCondition,
  evaluateTemplate,
  type ExpressionScope,
  type NameRef,
  type Step,
} from '@baton/workflow-dsl';
import { finishStep, launchIterations } from './completion';
import type { RunContext } from './effects';
import { failStep, jumpTo } from './failures';
import { dispatch } from './dispatch';
import {
  StepEvents,
  armStepTimeout,
  awaitEvent,
  emit,
  expressionFailure,
  markCompleted,
  schedule,
  stepEvent,
} from './records';
import type { Frame, StepRecord } from './state';

/** Step kinds whose timeout is armed once when they start (tasks arm one per attempt). */
const CONTAINER_OR_WAIT = new Set(['switch', 'parallel', 'foreach', 'wait_for_event']);

/** Starts a step whose `when` held: sends it out, waits, or opens its nested lists. */
export async function start(
  ctx: RunContext,
  frame: Frame,
  step: Step,
  record: StepRecord,
  scope: ExpressionScope,
): Promise<void> {
  let phase = 'input';
  try {
    if (step.timeoutMs && CONTAINER_OR_WAIT.has(step.kind)) {
      armStepTimeout(ctx, record, step.timeoutMs);
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
        awaitEvent(ctx, record, { type: step.eventType, correlation });
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
