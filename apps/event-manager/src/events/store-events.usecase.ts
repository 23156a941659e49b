import { MessageTypes, Topics } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import type { ConsumedMessage } from '@baton/kafka';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { histogram, hotPathMetrics } from '@baton/telemetry';
import { Counter } from 'prom-client';
import type { DataSource } from 'typeorm';
import { ErrorHandlerReactions } from '../alerts/error-handler-reactions';
import { NotificationWakeup } from '../notifications/notification-wakeup';
import { DeliveryWakeup } from '../routing/delivery-wakeup';
import { EventRouter, routableEvent } from '../routing/event-router';
import { EventsRepository, type NewStoredEvent } from '../event-store/events.repository';

const handled = new Counter({
  name: 'baton_event_store_events_total',
  help: 'Events the store consumed, by topic and outcome (stored, duplicate)',
  labelNames: ['topic', 'outcome'],
});

const ingestLag = histogram({
  name: 'baton_event_store_ingest_lag_seconds',
  help: 'From an event’s arrival on Kafka to its storing, the oldest of each stored batch',
  labelNames: ['source'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
});

/**
 * Writes a fetched batch to the store and routes the events that are new, in
 * one transaction: an event is stored together with the deliveries it causes,
 * and an event id already stored is skipped (not routed again), not an error.
 */
@Injectable()
export class StoreEventsUseCase {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly uow: UnitOfWork,
    private readonly events: EventsRepository,
    private readonly router: EventRouter,
    private readonly wakeup: DeliveryWakeup,
    private readonly reactions: ErrorHandlerReactions,
    private readonly notificationWakeup: NotificationWakeup,
  ) {}

  async execute(messages: ConsumedMessage[]): Promise<void> {
    const unique = new Map<string, ConsumedMessage>();
    for (const message of messages) {
      const key = `${message.envelope.workspaceid}\n${message.envelope.id}`;
      if (!unique.has(key)) unique.set(key, message);
    }
    const result = await this.uow.run(async (tx) => {
      const manager = tx.manager;
      const inserted = await this.events.insertMany(manager, [...unique.values()].map(toRow));
      const freshMessages = [...unique].filter(([key]) => inserted.has(key)).map(([, m]) => m);
      // Events a caller published through the HTTP API (the gateway names the caller). Not the
      // audit entries the store also keeps: they name a caller too, and auditing their storing
      // would make an audit entry of its own, stored in turn, without end.
      for (const { envelope } of freshMessages) {
        if (envelope.principal && envelope.type !== MessageTypes.auditEntry)
          tx.audit(
            {
              action: 'event.publish',
              target: `event/${envelope.id}`,
              details: { type: envelope.type },
            },
            envelope,
          );
      }
      const fresh = freshMessages.map((message) => routableEvent(message.envelope));
      let routed = await this.router.route(manager, fresh);
      // notify-admin and escalate: notifications (and incidents) in the same transaction.
      const reacted = await this.reactions.react(
        manager,
        freshMessages.map((m) => m.envelope),
      );
      routed += reacted.routed;
      return { stored: inserted.size, routed, queued: reacted.queued };
    });
    if (result.routed > 0) this.wakeup.wake();
    if (result.queued > 0) this.notificationWakeup.wake();
    const stored = result.stored;
    // kafkajs hands over one topic-partition per batch.
    const topic = messages[0]?.topic ?? 'unknown';
    handled.inc({ topic, outcome: 'stored' }, stored);
    handled.inc({ topic, outcome: 'duplicate' }, messages.length - stored);
    if (hotPathMetrics) observeIngestLag(messages);
  }
}

/** Platform topics and user ingress apart: a flood of user events shows as ingress lag. */
function observeIngestLag(messages: ConsumedMessage[]): void {
  let oldest = Infinity;
  for (const message of messages) {
    const at = Number(message.timestamp);
    if (at > 0 && at < oldest) oldest = at;
  }
  if (!Number.isFinite(oldest)) return;
  const source = messages[0].topic.startsWith(Topics.eventsIngress) ? 'ingress' : 'platform';
  ingestLag.observe({ source }, Math.max(0, Date.now() - oldest) / 1000);
}

function toRow(message: ConsumedMessage): NewStoredEvent {
  return {
    envelope: message.envelope,
    topic: message.topic,
    partition: message.partition,
    offset: message.offset,
  };
}
