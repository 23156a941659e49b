import { DomainError, type FollowEventsQuery, type FollowedEventsPage } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { EventsRepository } from '../event-store/events.repository';
import { toStoredEventView } from './stored-event.view';
import { formatStreamPosition, parseStreamPosition } from '../event-store/stream-position';

const DEFAULT_LIMIT = 100;

/**
 * The gateway's event stream reads the store through this: the events
 * committed after a cursor, oldest first, and where the next read starts.
 */
@Injectable()
export class FollowEventsUseCase {
  constructor(private readonly events: EventsRepository) {}

  async execute(query: FollowEventsQuery, workspaceId: string): Promise<FollowedEventsPage> {
    const limit = query.limit ?? DEFAULT_LIMIT;
    const after = query.after === undefined ? undefined : parseStreamPosition(query.after);
    if (query.after !== undefined && after === undefined) {
      throw DomainError.invalid('after', 'is not a cursor this stream handed out');
    }
    const { rows, horizon } = await this.events.follow(workspaceId, {
      types: query.types ?? [],
      subject: query.subject,
      source: query.source,
      after,
      limit,
    });
    const items = rows.map((row) => ({
      cursor: formatStreamPosition(row.position),
      event: toStoredEventView(row.event),
    }));
    // A short page read everything committed below the horizon: the next read
    // may start there, past any events the filters left out.
    const position =
      items.length === limit
        ? items[items.length - 1].cursor
        : formatStreamPosition({ xid: horizon, seq: '0' });
    return { items, position };
  }
}
