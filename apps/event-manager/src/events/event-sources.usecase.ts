import { type Envelope, type EventSourcesQuery, type EventSourcesView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { toTypeFilter } from '../event-store/event-type-pattern';
import { EventsRepository } from '../event-store/events.repository';
import type { StoredEventEntity } from '../event-store/stored-event.entity';
import { instant } from './list-events.usecase';

/**
 * The most JSON one reply carries: it goes back over Kafka, whose broker
 * refuses a message over 1 MiB, and one stored event may be nearly that big.
 * A reply always carries at least one event, so asking again makes progress.
 */
export const SOURCES_REPLY_BUDGET = 512 * 1024;

const DEFAULT_LIMIT = 20;

/**
 * `baton.event.shadow-sources`: stored events with their whole envelopes, as
 * the engine's event trigger read them off Kafka, for a shadow run over
 * events (ADR 0039). Only the request's workspace: an id of another one is
 * simply not answered, as an unknown one.
 */
@Injectable()
export class EventSourcesUseCase {
  constructor(private readonly events: EventsRepository) {}

  async execute(query: EventSourcesQuery, workspaceId: string): Promise<EventSourcesView> {
    if (query.ids) {
      const found = await this.events.findMany(workspaceId, query.ids);
      const byId = new Map(found.map((event) => [event.id, envelopeOf(event)]));
      const present = query.ids.filter((id) => byId.has(id));
      const fitting = fit(present.map((id) => byId.get(id)!));
      const answered = new Set(fitting.map((event) => event.id));
      const cut = present.findIndex((id) => !answered.has(id));
      return { events: fitting, rest: cut < 0 ? [] : present.slice(cut), after: null };
    }
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.events.list(workspaceId, {
      type: query.type ? toTypeFilter(query.type) : undefined,
      from,
      to,
      after: query.after,
      limit,
    });
    const events = fit(rows.map(envelopeOf));
    const full = events.length < rows.length;
    return { events, rest: [], after: full ? events[events.length - 1].id : null };
  }
}

/** The event as it was read off Kafka, which is what the store keeps in `envelope`. */
function envelopeOf(event: StoredEventEntity): Envelope {
  return event.envelope as unknown as Envelope;
}

/** The leading events whose JSON fits the reply budget (at least one). */
function fit(events: Envelope[]): Envelope[] {
  let used = 0;
  const fitting: Envelope[] = [];
  for (const event of events) {
    used += JSON.stringify(event).length;
    if (fitting.length > 0 && used > SOURCES_REPLY_BUDGET) break;
    fitting.push(event);
  }
  return fitting;
}
