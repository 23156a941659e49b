import type { ActionTaskMessage } from '@baton/contracts';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { ConnectorOutcome } from '../connectors/connector';

const tracer = trace.getTracer('baton-integration-manager');

/**
 * One connector action of a run as a span (a child of the task's consumer
 * span; the connector's HTTP calls are its children): which action, on which
 * connection, for which run and step, and how it ended. Never the input, the
 * output or the connection's secrets.
 */
export function withActionSpan(
  workspaceId: string,
  task: ActionTaskMessage,
  connection: string,
  perform: () => Promise<ConnectorOutcome>,
): Promise<ConnectorOutcome> {
  return tracer.startActiveSpan(
    `action ${task.action}`,
    {
      attributes: {
        'baton.workspace': workspaceId,
        'baton.action': task.action,
        'baton.connection': connection,
        'baton.task_id': task.task_id,
        'baton.task.attempt': task.attempt,
        ...(task.run_id ? { 'baton.run_id': task.run_id } : {}),
        ...(task.step ? { 'baton.step': task.step } : {}),
      },
    },
    async (span) => {
      try {
        const outcome = await perform();
        span.setAttribute('baton.task.outcome', outcome.status);
        if (outcome.httpStatus) span.setAttribute('http.response.status_code', outcome.httpStatus);
        if (outcome.status !== 'completed') span.setStatus({ code: SpanStatusCode.ERROR });
        return outcome;
      } finally {
        span.end();
      }
    },
  );
}
