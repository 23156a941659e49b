import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { TaskContext } from './task-context';

const tracer = trace.getTracer('baton-sdk');

/**
 * Runs an agent's handler inside a span of the task's trace (a child of the
 * worker's `process <topic>` consumer span): the agent's name, the step, the
 * attempt and the outcome, never the input or the output. The span is
 * exported when the worker's process registers an OpenTelemetry tracer
 * provider (an OTLP exporter, say); without one this is a pass-through.
 */
export async function traceTaskHandler<T>(
  agent: string,
  task: TaskContext,
  handle: () => Promise<T> | T,
): Promise<T> {
  return tracer.startActiveSpan(
    `agent ${agent}`,
    {
      attributes: {
        'baton.agent': agent,
        'baton.workspace': task.workspaceId,
        'baton.task_id': task.taskId,
        'baton.task.attempt': task.attempt,
        ...(task.runId ? { 'baton.run_id': task.runId } : {}),
        ...(task.step ? { 'baton.step': task.step } : {}),
      },
    },
    async (span) => {
      try {
        const output = await handle();
        span.setAttribute('baton.task.outcome', 'completed');
        return output;
      } catch (error) {
        span.setAttribute('baton.task.outcome', 'failed');
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
