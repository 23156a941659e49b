import { Topics, type Envelope } from '@baton/contracts';
import { startMessageSpan, withMessageSpan, type OpenSpan } from '@baton/kafka';
import type { ParsedResult } from './apply-result/task-result';

/*
 * The engine's spans: one per run started and one per decision a result
 * causes, each in its run's own trace (the message's traceparent), however
 * many runs share the batch's transaction. Ids and names only, no inputs or
 * outputs.
 */

/** What a run's start span names: a `RunStart` has it (start-run/ uses this file, not the other way). */
interface StartingRun {
  spec: { workflow: string; version: number; workspaceId: string };
  cause?: Envelope;
  traceparent?: string;
}

/** The span of a run's start: its first decision and what it publishes run inside it. */
export function startRunSpan(start: StartingRun): OpenSpan {
  return startMessageSpan(
    `start run ${start.spec.workflow}`,
    { traceparent: start.traceparent, envelope: start.cause },
    {
      'baton.workflow': start.spec.workflow,
      'baton.workflow.version': start.spec.version,
      'baton.workspace': start.spec.workspaceId,
    },
  );
}

/** The decision a task's result causes (the next step's task, the run's end), in the run's trace. */
export function withResultDecisionSpan<T>(
  item: ParsedResult,
  runId: string,
  step: string,
  work: () => Promise<T>,
): Promise<T> {
  const { result, envelope } = item;
  return withMessageSpan(
    `decide ${step}`,
    { traceparent: item.traceparent, envelope, topic: item.topic ?? Topics.workflowResults },
    {
      'baton.run_id': runId,
      'baton.step': step,
      'baton.task_id': result.task_id,
      'baton.task.attempt': result.attempt,
      'baton.task.outcome': result.status,
    },
    () => work(),
  );
}
