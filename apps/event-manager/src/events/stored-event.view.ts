import type { StoredEventView } from '@baton/contracts';
import type { StoredEventEntity } from '../event-store/stored-event.entity';

export function toStoredEventView(event: StoredEventEntity): StoredEventView {
  return {
    id: event.id,
    type: event.type,
    source: event.source,
    subject: event.subject,
    time: event.time.toISOString(),
    correlation_id: event.correlationId,
    causation_id: event.causationId,
    traceparent: typeof event.envelope.traceparent === 'string' ? event.envelope.traceparent : null,
    data: event.envelope.data ?? null,
    topic: event.topic,
    partition: event.partition,
    offset: event.offset,
    received_at: event.receivedAt.toISOString(),
  };
}
