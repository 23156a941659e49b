import type { ConsumedMessage } from '@baton/kafka';
import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { EventsRepository, type NewStoredEvent } from './events.repository';

const handled = new Counter({
  name: 'baton_event_store_events_total',
  help: 'Events the store consumed, by topic and outcome (stored, duplicate)',
  labelNames: ['topic', 'outcome'],
});

/** Writes a fetched batch to the store; an event id already stored is skipped, not an error. */
@Injectable()
export class StoreEventsUseCase {
  constructor(private readonly events: EventsRepository) {}

  async execute(messages: ConsumedMessage[]): Promise<void> {
    const rows = new Map<string, NewStoredEvent>();
    for (const message of messages) {
      const key = `${message.envelope.workspaceid}\n${message.envelope.id}`;
      if (!rows.has(key)) rows.set(key, toRow(message));
    }
    const stored = await this.events.insertMany([...rows.values()]);
    // kafkajs hands over one topic-partition per batch.
    const topic = messages[0]?.topic ?? 'unknown';
    handled.inc({ topic, outcome: 'stored' }, stored);
    handled.inc({ topic, outcome: 'duplicate' }, messages.length - stored);
    // Routes, subscriptions and alert rules will act on the newly stored events
    // here (RETURNING the inserted ids), so a redelivered event is routed once.
  }
}

function toRow(message: ConsumedMessage): NewStoredEvent {
  const envelope = message.envelope;
  return {
    workspaceId: envelope.workspaceid,
    id: envelope.id,
    type: envelope.type,
    source: envelope.source,
    subject: envelope.subject ?? null,
    time: envelope.time,
    correlationId: envelope.correlationid,
    causationId: envelope.causationid ?? null,
    envelope: JSON.stringify(envelope),
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
  };
}
