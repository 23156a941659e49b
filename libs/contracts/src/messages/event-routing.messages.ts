import { PagedQuery } from './pagination';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsDefined,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
  ValidateBy,
} from 'class-validator';
import { NAME_PATTERN } from './agent.messages';
import {
  decoratorStack,
  IntBetween,
  OptionalText,
  OptionalTimestamp,
  OptionalUuid,
} from '../fields';

/** Commands and queries of event-manager's subscriptions, transforms, routes, replays and retention. */
export const EventRoutingMessageTypes = {
  subscriptionCreate: 'baton.subscription.create',
  subscriptionList: 'baton.subscription.list',
  subscriptionGet: 'baton.subscription.get',
  subscriptionDelete: 'baton.subscription.delete',
  subscriptionPause: 'baton.subscription.pause',
  subscriptionResume: 'baton.subscription.resume',
  subscriptionDeadLetters: 'baton.subscription.dead-letters',
  subscriptionRedeliver: 'baton.subscription.dead-letters.redeliver',
  transformCreate: 'baton.transform.create',
  transformList: 'baton.transform.list',
  transformGet: 'baton.transform.get',
  transformPreview: 'baton.transform.preview',
  routeCreate: 'baton.route.create',
  routeList: 'baton.route.list',
  routeGet: 'baton.route.get',
  routeDelete: 'baton.route.delete',
  replayCreate: 'baton.replay.create',
  replayGet: 'baton.replay.get',
  replayList: 'baton.replay.list',
  replayCancel: 'baton.replay.cancel',
  retentionCreate: 'baton.retention.create',
  retentionList: 'baton.retention.list',
  retentionDelete: 'baton.retention.delete',
} as const;

/** The header (and CloudEvents extension `replayid`) that marks a replayed delivery. */
export const REPLAY_ID_HEADER = 'baton-replay-id';

/** `order.*`, `order.created`, `*`: letters, digits, `.`, `_`, `-`, and `*` as the wildcard. */
export const EVENT_PATTERN = /^[a-zA-Z0-9*][a-zA-Z0-9._*-]{0,199}$/;
const PATTERN_MESSAGE = 'each must be an event type or a pattern like order.*';
/** Kafka's own rule for topic names. */
export const TOPIC_PATTERN = /^[a-zA-Z0-9._-]{1,249}$/;
/** The platform's own topics and Kafka's internal ones. */
const PLATFORM_TOPIC_PREFIXES = ['baton.', '__'];

/** Whether a tenant may name `topic` as a destination: any Kafka name but the platform's. */
export function isTenantTopic(topic: unknown): boolean {
  return (
    typeof topic === 'string' &&
    TOPIC_PATTERN.test(topic) &&
    !PLATFORM_TOPIC_PREFIXES.some((prefix) => topic.startsWith(prefix))
  );
}

/**
 * An optional destination topic (subscriptions, routes, replays): one rule
 * for every place a tenant names one. The ACLs let event-manager write
 * tenants' topics, so without it a route could forge gateway replies,
 * commands or another workspace's tasks.
 */
function OptionalTenantTopic(): PropertyDecorator {
  return decoratorStack(
    IsOptional(),
    Matches(TOPIC_PATTERN, { message: 'topic must be a Kafka topic name' }),
    ValidateBy({
      name: 'isTenantTopic',
      validator: {
        validate: isTenantTopic,
        defaultMessage: () =>
          "topic must be a Kafka topic name outside the platform's baton.* topics",
      },
    }),
  );
}
export const DELIVERY_FORMATS = ['structured', 'binary', 'json'] as const;
export type DeliveryFormat = (typeof DELIVERY_FORMATS)[number];

/** How a topic destination is written (structured when absent): one of DELIVERY_FORMATS. */
function OptionalDeliveryFormat(): PropertyDecorator {
  return decoratorStack(IsOptional(), IsIn(DELIVERY_FORMATS));
}

/** How a failing delivery is retried; durations like `500ms`, `5s`, `1m`. */
export class DeliveryRetryDto {
  @IsOptional()
  @IntBetween(1, 50)
  max_attempts?: number;

  @OptionalText(20)
  initial_delay?: string;

  @OptionalText(20)
  max_delay?: string;
}

/** Where matched events go: exactly one of agent, workflow, webhook_url or topic. */
export class DestinationDto {
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'agent must be an agent name' })
  agent?: string;

  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'workflow must be a workflow name' })
  workflow?: string;

  @OptionalText(2000)
  webhook_url?: string;

  @OptionalTenantTopic()
  topic?: string;

  /** Topic deliveries: CloudEvents structured (default), binary (ce_* headers) or the plain JSON payload. */
  @OptionalDeliveryFormat()
  format?: DeliveryFormat;

  /** The name of a transform applied to each event before delivery. */
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'transform must be a transform name' })
  transform?: string;
}

export class CreateSubscriptionCommand extends DestinationDto {
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'name must be lowercase letters, digits and dashes' })
  name?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(50)
  @Matches(EVENT_PATTERN, { each: true, message: `events: ${PATTERN_MESSAGE}` })
  events!: string[];

  /** A JSONata expression over the event (a CloudEvent object); the event matches when it is truthy. */
  @OptionalText(10_000)
  filter?: string;

  /** Webhook signing secret; generated (and answered once) when absent. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => DeliveryRetryDto)
  retry?: DeliveryRetryDto;

  @OptionalText(200)
  idempotency_key?: string;
}

export class SubscriptionIdQuery {
  @IsUUID()
  id!: string;
}

export class PageQuery extends PagedQuery(500) {}

export class DeadLettersQuery extends PageQuery {
  @IsUUID()
  id!: string;
}

/** Puts a subscription's dead letters (all, or the ones named) back in line. */
export class RedeliverDeadLettersCommand {
  @IsUUID()
  id!: string;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(/^\d{1,19}$/, {
    each: true,
    message: 'each delivery id must be a delivery id of the dead-letter list',
  })
  delivery_ids?: string[];
}

export class CreateTransformCommand {
  @Matches(NAME_PATTERN, { message: 'name must be lowercase letters, digits and dashes' })
  name!: string;

  /** A JSONata expression; its input is the event as a structured CloudEvent. */
  @IsString()
  @MinLength(1)
  @MaxLength(50_000)
  expression!: string;

  @OptionalText(2000)
  description?: string;
}

export class TransformNameQuery {
  @Matches(NAME_PATTERN, { message: 'name must be a transform name' })
  name!: string;
}

export class PreviewTransformCommand extends TransformNameQuery {
  /** A sample event: a CloudEvent object, as transforms receive it. */
  @IsDefined()
  @IsObject()
  event!: Record<string, unknown>;
}

export class CreateRouteCommand {
  @Matches(NAME_PATTERN, { message: 'name must be lowercase letters, digits and dashes' })
  name!: string;

  /** Lower runs first; defaults to after every existing route. */
  @IsOptional()
  @IntBetween(0, 1_000_000)
  position?: number;

  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(EVENT_PATTERN, { each: true, message: `events: ${PATTERN_MESSAGE}` })
  events?: string[];

  /** The event's source, exactly, or a pattern with `*`. */
  @OptionalText(500)
  source?: string;

  @OptionalText(10_000)
  filter?: string;

  /** Applied to every destination that names no transform of its own. */
  @IsOptional()
  @Matches(NAME_PATTERN, { message: 'transform must be a transform name' })
  transform?: string;

  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => DestinationDto)
  destinations!: DestinationDto[];

  /** `stop`: an event this route matched is not offered to the routes after it. */
  @IsOptional()
  @IsIn(['continue', 'stop'])
  on_match?: 'continue' | 'stop';

  /** Signs the route's webhook deliveries; generated (and answered once) when absent. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  @MaxLength(200)
  secret?: string;
}

export class RouteNameQuery {
  @Matches(NAME_PATTERN, { message: 'name must be a route name' })
  name!: string;
}

export class ReplayFilterDto {
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(EVENT_PATTERN, { each: true, message: `types: ${PATTERN_MESSAGE}` })
  types?: string[];

  @OptionalTimestamp()
  from?: string;

  @OptionalTimestamp()
  to?: string;

  @OptionalText(500)
  subject?: string;

  @OptionalText(200)
  correlation_id?: string;
}

/** Exactly one of: a subscription, a Kafka topic, or `original: true` (every current route and subscription). */
export class ReplayTargetDto {
  @OptionalUuid()
  subscription_id?: string;

  @OptionalTenantTopic()
  topic?: string;

  @OptionalDeliveryFormat()
  format?: DeliveryFormat;

  @IsOptional()
  @IsBoolean()
  original?: boolean;
}

export class CreateReplayCommand {
  @IsDefined()
  @ValidateNested()
  @Type(() => ReplayFilterDto)
  filter!: ReplayFilterDto;

  @IsDefined()
  @ValidateNested()
  @Type(() => ReplayTargetDto)
  target!: ReplayTargetDto;

  /** Events per second. */
  @IsOptional()
  @IntBetween(1, 1_000_000)
  rate_limit?: number;

  @IsOptional()
  @IsBoolean()
  dry_run?: boolean;

  @OptionalText(200)
  idempotency_key?: string;
}

export class ReplayIdQuery {
  @IsUUID()
  id!: string;
}

export class CreateRetentionPolicyCommand {
  /** An event type or pattern; `*` is the workspace's default. */
  @Matches(EVENT_PATTERN, { message: `type: must be an event type or a pattern like order.*` })
  type!: string;

  /** How long events are kept after they arrive: `30d`, `12h`, `90m`. */
  @IsString()
  @MaxLength(20)
  max_age!: string;
}

export class RetentionPolicyIdQuery {
  @IsUUID()
  id!: string;
}

export interface DestinationView {
  kind: 'agent' | 'workflow' | 'webhook' | 'topic';
  agent?: string;
  workflow?: string;
  webhook_url?: string;
  topic?: string;
  format?: DeliveryFormat;
  transform?: string | null;
}

export interface SubscriptionStatusView {
  /** Deliveries waiting (including those in backoff) and the age of the oldest. */
  lag: number;
  oldest_pending_at: string | null;
  last_delivery_at: string | null;
  delivered: number;
  /** Failed attempts (each retried one counts). */
  failures: number;
  dead_lettered: number;
  last_error: string | null;
  last_error_at: string | null;
}

export interface SubscriptionView {
  id: string;
  name: string | null;
  events: string[];
  filter: string | null;
  destination: DestinationView;
  status: 'active' | 'paused';
  retry: { max_attempts: number; initial_delay_ms: number; max_delay_ms: number };
  delivery: SubscriptionStatusView;
  created_at: string;
  /** Only in the answer that created the subscription. */
  secret?: string;
}

export interface EventDeliveryView {
  id: string;
  event_id: string;
  status: 'pending' | 'delivered' | 'dead' | 'cancelled';
  attempts: number;
  last_error: string | null;
  replay_id: string | null;
  created_at: string;
  delivered_at: string | null;
  updated_at: string;
}

export interface TransformView {
  name: string;
  expression: string;
  description: string | null;
  created_at: string;
  updated_at: string;
}

export interface TransformPreviewView {
  ok: boolean;
  result?: unknown;
  error?: { message: string; code?: string; position?: number; line?: number; column?: number };
}

export interface RouteView {
  id: string;
  name: string;
  position: number;
  events: string[];
  source: string | null;
  filter: string | null;
  transform: string | null;
  destinations: DestinationView[];
  on_match: 'continue' | 'stop';
  created_at: string;
  updated_at: string;
  secret?: string;
}

/** What an event matched when it was stored, and how each resulting delivery went. */
export interface EventMatchView {
  kind: 'subscription' | 'route';
  id: string;
  name: string | null;
  destination: number | null;
  delivery: Omit<EventDeliveryView, 'event_id' | 'replay_id'>;
}

export interface ReplayView {
  id: string;
  status: 'running' | 'completed' | 'cancelled' | 'failed';
  filter: ReplayFilterDto;
  target: ReplayTargetDto;
  rate_limit: number | null;
  dry_run: boolean;
  /** Events the filter selects (known once the replay started reading). */
  total: number | null;
  processed: number;
  /** Deliveries it created (subscription and original targets) or messages it published (topic). */
  deliveries: { created: number; pending: number; delivered: number; dead: number };
  published: number;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface RetentionPolicyView {
  id: string;
  type: string;
  max_age: string;
  max_age_ms: number;
  created_at: string;
  /** Events this policy has deleted so far. */
  deleted: number;
}
