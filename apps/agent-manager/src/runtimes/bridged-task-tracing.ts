import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { TaskEntity } from '../task-model/task.entity';
import type { TaskOutcome } from '../task-model/tasks.repository';

const tracer = trace.getTracer('baton-agent-manager');

/**
 * A task of an agent agent-manager runs itself (http, llm, rules) as a span,
 * like a worker's handler span: the agent, run, step, attempt and outcome;
 * the runtime's HTTP and LLM calls are its client children. Never the input
 * or the output.
 */
export function withBridgedTaskSpan(
  task: TaskEntity,
  runtime: string,
  run: () => Promise<TaskOutcome>,
): Promise<TaskOutcome> {
  return tracer.startActiveSpan(
    `agent ${task.agent}`,
    {
      attributes: {
        'baton.agent': task.agent,
        'baton.agent.runtime': runtime,
        'baton.workspace': task.workspaceId,
        'baton.task_id': task.id,
        'baton.task.attempt': task.attempt,
        ...(task.runId ? { 'baton.run_id': task.runId } : {}),
        ...(task.step ? { 'baton.step': task.step } : {}),
      },
    },
    async (span) => {
      try {
        const outcome = await run();
        span.setAttribute('baton.task.outcome', outcome.status);
        if (outcome.status !== 'completed') {
          span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error?.type });
        }
        return outcome;
      } finally {
        span.end();
      }
    },
  );
}
