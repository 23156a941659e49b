import {
  createEnvelope,
  Headers,
  MessageTypes,
  resultTopicFor,
  type AgentTaskMessage,
  type Envelope,
  type TaskResultMessage,
} from '@baton/contracts';
import { MAX_MESSAGE_BYTES, recordBytes, type OutgoingMessage } from '@baton/kafka';

/**
 * What goes out instead of a committed message whose topic stayed missing
 * past the relay's grace: never nothing.
 *
 * An agent task is answered as its agent would answer a task it cannot run:
 * a failed result (`system_error`, naming the topic) on the result topic the
 * task names, so the step's retry policy and error handlers decide what
 * follows, exactly as for any other failure. Anything else goes to the
 * service's dead-letter topic with the reason.
 */
export function undeliverableReplacement(
  message: OutgoingMessage,
  reason: string,
  dlqTopic: string,
): OutgoingMessage {
  const task = agentTaskOf(message.envelope);
  if (task) {
    return {
      topic: resultTopicFor(message.headers?.[Headers.replyTo]),
      key: task.task_id,
      envelope: createEnvelope<TaskResultMessage>({
        type: MessageTypes.agentResult,
        source: message.envelope.source,
        subject: message.envelope.subject,
        workspaceId: message.envelope.workspaceid,
        causedBy: message.envelope,
        traceparent: message.envelope.traceparent,
        data: {
          task_id: task.task_id,
          attempt: task.attempt,
          ...(task.run_id ? { run_id: task.run_id } : {}),
          status: 'failed',
          error: { type: 'system_error', message: reason },
        },
      }),
    };
  }
  return {
    topic: dlqTopic,
    key: message.key,
    envelope: message.envelope,
    headers: {
      ...message.headers,
      [Headers.dlqReason]: reason.slice(0, 2000),
      [Headers.dlqSourceTopic]: message.topic,
    },
  };
}

function agentTaskOf(envelope: Envelope): AgentTaskMessage | undefined {
  if (envelope.type !== MessageTypes.agentTask) return undefined;
  const data = envelope.data as Partial<AgentTaskMessage> | undefined;
  if (typeof data?.task_id !== 'string' || typeof data.attempt !== 'number') return undefined;
  return data as AgentTaskMessage;
}

/**
 * A committed message too large for the broker to take (MAX_MESSAGE_BYTES)
 * would be refused at every try and hold its outbox row, and every row
 * behind it, for good. It goes out as undeliverable instead; on the
 * dead-letter topic its data is left out (it is as large there), with the
 * size and type said, so the reason is readable and the message id traceable.
 */
export function withinBrokerLimit(message: OutgoingMessage, dlqTopic: string): OutgoingMessage {
  const bytes = messageBytes(message);
  if (bytes <= MAX_MESSAGE_BYTES) return message;
  const reason = `message of ${bytes} bytes is over the broker's limit of ${MAX_MESSAGE_BYTES}`;
  const replacement = undeliverableReplacement(message, reason, dlqTopic);
  if (messageBytes(replacement) <= MAX_MESSAGE_BYTES) return replacement;
  return {
    ...replacement,
    envelope: { ...replacement.envelope, data: { omitted: reason } },
  };
}

function messageBytes(message: OutgoingMessage): number {
  return recordBytes({
    key: message.key,
    value: JSON.stringify(message.envelope),
    headers: message.headers,
  });
}
