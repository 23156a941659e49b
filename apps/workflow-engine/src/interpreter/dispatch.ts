import type { Step } from '@baton/workflow-dsl';
import type { RunContext } from './effects';
import { StepEvents, armStepTimeout, emit, startChild, stepEvent } from './records';
import type { StepRecord } from './state';

/** Sends the record's current attempt out: a task, an action, or a child run. */
export function dispatch(ctx: RunContext, step: Step, record: StepRecord): void {
  if (record.kind === 'workflow') {
    startChild(ctx, record, record.workflow!, record.input);
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
  if (step.timeoutMs) armStepTimeout(ctx, record, step.timeoutMs);
  emit(ctx, StepEvents.started, stepEvent(record));
}
