import type { Envelope } from '@baton/contracts';

/** What a run started by an event begins with. */
export interface EventTriggerStart {
  /** The event's data; data that is not an object is passed as `{ data }`. */
  input: Record<string, unknown>;
  /** `${trigger}`: the whole event. */
  trigger: Envelope;
  /** One run per event and workflow: a redelivered event starts nothing new. */
  idempotencyKey: string;
}

/**
 * How an event becomes a run's start, in one place: the event trigger
 * (IngressTriggerConsumer) starts live runs with it, and a shadow run over
 * stored events (ADR 0039) gives the candidate the same input and `${trigger}`
 * and finds the live run by the same key.
 */
export function eventTriggerStart(event: Envelope): EventTriggerStart {
  return { input: asInput(event.data), trigger: event, idempotencyKey: eventRunKey(event.id) };
}

/** The idempotency key of the run an event started. */
export function eventRunKey(eventId: string): string {
  return `event:${eventId}`;
}

function asInput(data: unknown): Record<string, unknown> {
  return data !== null && typeof data === 'object' && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : { data };
}
