import {
  decodeCursor,
  DomainError,
  toPage,
  type ListEventsQuery,
  type Page,
  type StoredEventView,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { toTypeFilter } from '../event-store/event-type-pattern';
import { EventsRepository } from '../event-store/events.repository';
import { toStoredEventView } from './stored-event.view';

const DEFAULT_LIMIT = 50;

@Injectable()
export class ListEventsUseCase {
  constructor(private readonly events: EventsRepository) {}

  /** Newest first; `from` is inclusive and `to` exclusive, both on the event's own time. */
  async execute(query: ListEventsQuery, workspaceId: string): Promise<Page<StoredEventView>> {
    const from = instant(query.from, 'from');
    const to = instant(query.to, 'to');
    if (from && to && from > to) throw DomainError.invalid('to', 'must not be before from');
    const limit = query.limit ?? DEFAULT_LIMIT;
    const rows = await this.events.list(workspaceId, {
      type: query.type ? toTypeFilter(query.type) : undefined,
      source: query.source,
      subject: query.subject,
      correlationId: query.correlation_id,
      from,
      to,
      after: decodeCursor(query.cursor),
      limit: limit + 1,
    });
    return toPage(rows, limit, toStoredEventView, (event) => event.id);
  }
}

/** ISO 8601 has forms (week dates, ordinals) Postgres does not read; answer those as invalid. */
export function instant(value: string | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw DomainError.invalid(field, 'must be an RFC 3339 timestamp');
  return new Date(ms).toISOString();
}
