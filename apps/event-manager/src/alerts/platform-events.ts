import type { Envelope } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventsRepository } from '../event-store/events.repository';
import { EventRouter, routableEvent } from '../routing/event-router';

/** Where events event-manager makes itself say they came from (no Kafka position). */
const LOCAL_TOPIC = 'event-manager';

/**
 * Stores an event event-manager makes itself (an alert's transition, an
 * incident) in the event store and routes it, in the caller's transaction:
 * subscriptions and routes see it like any event, and it is never stored
 * without its deliveries. Returns how many deliveries it caused (wake the
 * dispatcher after commit when more than none).
 */
@Injectable()
export class PlatformEvents {
  constructor(
    private readonly events: EventsRepository,
    private readonly router: EventRouter,
  ) {}

  async store(manager: EntityManager, envelope: Envelope): Promise<number> {
    const inserted = await this.events.insertMany(manager, [
      { envelope, topic: LOCAL_TOPIC, partition: -1, offset: '0' },
    ]);
    if (inserted.size === 0) return 0;
    return this.router.route(manager, [routableEvent(envelope)]);
  }
}
