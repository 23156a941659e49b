import { PagedQuery } from './pagination';
import type { EventMatchView } from './event-routing.messages';
import { ArrayMaxSize, IsArray, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IntBetween, OptionalText, OptionalTimestamp } from '../fields';

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
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
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
