import { Topics, WORKSPACE_INGRESS_TOPICS, type Envelope } from '@baton/contracts';
import { decodeIngressEvent, type ConsumedMessage } from '@baton/kafka';

/**
 * How the engine reads baton.events.ingress, in both of its consumers of it
 * (event triggers, wait_for_event): the same reading as the event store's, so
 * a run starts or a wait ends only on an event that is stored; what cannot be
 * read is skipped here, since event-manager dead-letters it with its reason.
 */

/** The shared topic, and the workspaces' own (whose topic names the workspace). */
export const INGRESS_TOPICS: (string | RegExp)[] = [Topics.eventsIngress, WORKSPACE_INGRESS_TOPICS];

/** Marks a message that is not an event. */
const UNREADABLE = 'baton.ingress.unreadable';

/** A consumer's `decode`: the event, or a marker that `readable` drops (never a dead letter). */
export function decodeIngress(
  message: Parameters<typeof decodeIngressEvent>[0],
  topic: string,
): Envelope {
  try {
    return decodeIngressEvent(message, topic);
  } catch {
    return {
      specversion: '1.0',
      id: '',
      type: UNREADABLE,
      source: '',
      time: new Date().toISOString(),
      datacontenttype: 'application/json',
      data: null,
      workspaceid: '',
      correlationid: '',
    };
  }
}

/** The messages of a batch that are events. */
export function readable(messages: ConsumedMessage[]): ConsumedMessage[] {
  return messages.filter((message) => message.envelope.type !== UNREADABLE);
}
