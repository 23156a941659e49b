import { PagedQuery } from './pagination';
import type { EventMatchView } from './event-routing.messages';
import { IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import type { Envelope } from '../envelope/envelope';
import { IntBetween, OptionalText, OptionalTextList, OptionalTimestamp } from '../fields';

export class ListEventsQuery extends PagedQuery(500) {
  @OptionalText(200)
  type?: string;

  @IsOptional()
  @IsString()
  source?: string;

  @IsOptional()
  @IsString()
  subject?: string;

  @IsOptional()
  @IsString()
  correlation_id?: string;

  @OptionalTimestamp()
  from?: string;

  @OptionalTimestamp()
  to?: string;
}

/** A position in the workspace's event stream: `<commit xid>-<seq>` (see FollowEventsQuery). */
export const EVENT_STREAM_CURSOR = /^\d{1,20}-\d{1,20}$/;

/**
 * The events stored after a stream cursor, in commit order, oldest first
 * (`baton.event.follow`). Only events whose transactions committed before
 * every transaction still running are answered, so a later poll never finds
 * an event that belongs before a cursor it already handed out.
 */
export class FollowEventsQuery {
  /** Type patterns (`order.*`); none means every type. */
  @OptionalTextList(20, 200)
  types?: string[];

  @OptionalText(500)
  subject?: string;

  @OptionalText(500)
  source?: string;

  /** Answer events after this cursor; without it, answer none and only the current position. */
  @IsOptional()
  @IsString()
  @Matches(EVENT_STREAM_CURSOR, { message: 'is not a cursor this stream handed out' })
  after?: string;

  @IsOptional()
  @IntBetween(1, 500)
  limit?: number;
}

export interface FollowedEventView {
  /** This event's position; resume after it with `after`. */
  cursor: string;
  event: StoredEventView;
}

export interface FollowedEventsPage {
  items: FollowedEventView[];
  /** Where the next poll starts: after the last item, or the stream's current end. */
  position: string;
}

export class EventIdQuery {
  @IsString()
  @MaxLength(200)
  id!: string;
}

/**
 * Stored events as they arrived, their whole envelopes (`baton.event.shadow-sources`,
 * asked by workflow-engine for a shadow run, ADR 0039): either these ids, or the
 * newest `limit` events of a type pattern whose own time is in `[from, to)`.
 * Always the request's workspace. A reply holds what fits in about 512 KiB;
 * the rest is asked for again (`rest` ids, or `after` the last event).
 */
export class EventSourcesQuery {
  @OptionalTextList(100, 200)
  ids?: string[];

  @OptionalText(200)
  type?: string;

  @OptionalTimestamp()
  from?: string;

  @OptionalTimestamp()
  to?: string;

  @IsOptional()
  @IntBetween(1, 100)
  limit?: number;

  /** The id of the last event of the previous reply (the window form). */
  @OptionalText(200)
  after?: string;
}

export interface EventSourcesView {
  /** In the order asked (ids), or newest first by arrival (window). */
  events: Envelope[];
  /** Listed ids not looked at yet because the reply was full: ask again for them. */
  rest: string[];
  /** The window form when the reply was full before `limit`: ask again after this event. */
  after: string | null;
}

export interface StoredEventView {
  id: string;
  type: string;
  source: string;
  subject: string | null;
  time: string;
  correlation_id: string;
  causation_id: string | null;
  /** W3C trace context of the work that produced the event. */
  traceparent: string | null;
  data: unknown;
  topic: string;
  partition: number;
  offset: string;
  received_at: string;
  /** What the event matched when it was stored (GET /v1/events/{id} only). */
  matched?: EventMatchView[];
}
