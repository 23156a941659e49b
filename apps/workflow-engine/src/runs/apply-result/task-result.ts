import type { Envelope, TaskResultMessage } from '@baton/contracts';
import type { RunInput } from '../../interpreter';

/** A result message, with the trace it was sent in (what its decision publishes joins it). */
export interface ResultDelivery {
  envelope: Envelope;
  traceparent?: string;
  /** The topic it came on (results of agents, of workers, of connectors). */
  topic?: string;
}

/** A result message with its validated body. */
export interface ParsedResult extends ResultDelivery {
  result: TaskResultMessage;
}

/** What the interpreter is told of a task's result. */
export function taskResultInput(result: TaskResultMessage): RunInput {
  return {
    kind: 'task-result',
    taskId: result.task_id,
    attempt: result.attempt,
    status: result.status,
    output: result.output,
    ...(result.error ? { error: { type: result.error.type, message: result.error.message } } : {}),
  };
}
