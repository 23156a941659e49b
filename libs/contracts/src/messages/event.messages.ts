import { PagedQuery } from '../pagination';
import type { EventMatchView } from './event-routing.messages';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';

export class ListEventsQuery extends PagedQuery(500) {
  @IsOptional()
  @IsString()
  @MaxLength(200)
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

  @IsOptional()
  @IsISO8601()
  from?: string;

  @IsOptional()
  @IsISO8601()
  to?: string;
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
