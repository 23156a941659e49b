import { OmitType, PartialType } from '@nestjs/mapped-types';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import { NAME_PATTERN } from './agent.messages';
import { IntBetween, OptionalText } from '../fields';

/** Commands and queries of alerts, notification channels and the metrics summary (event-manager). */
export const AlertMessageTypes = {
  alertCreate: 'baton.alert.create',
  alertList: 'baton.alert.list',
  alertGet: 'baton.alert.get',
  alertUpdate: 'baton.alert.update',
  alertDelete: 'baton.alert.delete',
  alertHistory: 'baton.alert.history',
  alertSilence: 'baton.alert.silence',
  channelCreate: 'baton.notification-channel.create',
  channelList: 'baton.notification-channel.list',
  channelGet: 'baton.notification-channel.get',
  channelDelete: 'baton.notification-channel.delete',
  incidentList: 'baton.incident.list',
  metricsSummary: 'baton.metrics.summary',
  /** event-manager → agent-manager: agent figures over a window (reply on baton.event.replies). */
  agentMetricsSample: 'baton.agent.metrics.sample',
  /** event-manager → integration-manager: connection figures over a window (reply on baton.event.replies). */
  connectionMetricsSample: 'baton.integration.metrics.sample',
  /** event-manager → agent-manager: the share of llm budgets used (reply on baton.event.replies). */
  budgetUsageSample: 'baton.agent.budget.usage',
} as const;

/** What every service replica reports on baton.platform.status (the platform's self-watch). */
export const PlatformStatusType = 'baton.platform.status.report';

export class ConsumerLagReport {
  @IsString()
  @MaxLength(249)
  group!: string;

  @IsString()
  @MaxLength(249)
  topic!: string;

  @IsInt()
  @Min(0)
  messages!: number;
}

export class PlatformStatusMessage {
  @Matches(/^[a-z][a-z-]{0,62}$/, { message: 'service must be a service name' })
  service!: string;

  @IsString()
  @MaxLength(100)
  instance!: string;

  @IsBoolean()
  ready!: boolean;

  /** The readiness checks failing, by name. */
  @IsArray()
  @ArrayMaxSize(50)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  failing!: string[];

  @IsArray()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => ConsumerLagReport)
  consumer_lag!: ConsumerLagReport[];
}

/** Events event-manager stores (and routes) for alerts and incidents. */
export const AlertEventTypes = {
  /** A rule changed state; `data.to` is pending, firing, resolved or ok. */
  stateChanged: 'alert.state.changed',
  incidentOpened: 'alert.incident.opened',
} as const;

export const ALERT_SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export const CHANNEL_KINDS = ['email', 'slack', 'webhook', 'pagerduty'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

const NAME_MESSAGE = 'must be lowercase letters, digits and dashes (at most 63)';
const DURATION = /^\d{1,9}(ms|s|m|h|d)$/;
const DURATION_MESSAGE = 'must be a duration like 30s, 5m or 1h';

/** What a rule watches: the whole workspace (no field), or one agent, workflow or connection. */
export class AlertScopeDto {
  @IsOptional()
  @Matches(NAME_PATTERN, { message: `scope.agent ${NAME_MESSAGE}` })
  agent?: string;

  @IsOptional()
  @Matches(NAME_PATTERN, { message: `scope.workflow ${NAME_MESSAGE}` })
  workflow?: string;

  @IsOptional()
  @Matches(NAME_PATTERN, { message: `scope.connection ${NAME_MESSAGE}` })
  connection?: string;

  /** A platform-wide rule: only in the platform workspace (docs/alerts.md, "Baton watching itself"). */
  @IsOptional()
  @IsIn([true], { message: 'scope.platform must be true when given' })
  platform?: boolean;
}

export class CreateAlertCommand {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  /** e.g. `error_rate > 0.05` (docs/alerts.md). */
  @IsString()
  @MaxLength(1_000)
  condition!: string;

  /** Channel names, or kinds (`email`, `slack`, ...) meaning every channel of that kind. */
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10)
  @Matches(NAME_PATTERN, { each: true, message: `notification_channels: each ${NAME_MESSAGE}` })
  notification_channels!: string[];

  @IsIn(ALERT_SEVERITIES)
  severity!: (typeof ALERT_SEVERITIES)[number];

  /** How long the condition must hold before the rule fires (default 0: at once). */
  @IsOptional()
  @Matches(DURATION, { message: `for ${DURATION_MESSAGE}` })
  for?: string;

  /** The window of the condition's metrics, unless a comparison names its own (default 5m). */
  @IsOptional()
  @Matches(DURATION, { message: `window ${DURATION_MESSAGE}` })
  window?: string;

  @IsOptional()
  @ValidateNested()
  @Type(() => AlertScopeDto)
  scope?: AlertScopeDto;

  @OptionalText(1_000)
  description?: string;
}

export class AlertNameQuery {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;
}

/**
 * PATCH: any of the creating fields but the name (which comes from the path),
 * derived from CreateAlertCommand so the two keep the same checks.
 */
export class UpdateAlertCommand extends PartialType(
  OmitType(CreateAlertCommand, ['name'] as const),
) {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;
}

export class AlertHistoryQuery {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @OptionalText(200)
  cursor?: string;

  @IsOptional()
  @Type(() => Number)
  @IntBetween(1, 200)
  limit?: number;
}

/** Notifications of the rule are held back until `until` (transitions are still recorded). */
export class SilenceAlertCommand {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @IsISO8601({ strict: true }, { message: 'until must be an ISO 8601 date-time' })
  until!: string;
}

export class CreateNotificationChannelCommand {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;

  @IsIn(CHANNEL_KINDS)
  kind!: ChannelKind;

  /** Per kind (docs/alerts.md): email {host, port, from, to, ...}, slack {webhook_url}, ... */
  @IsObject()
  config!: Record<string, unknown>;

  /** Notified by the workflow error handler `notify-admin`. */
  @IsOptional()
  @IsBoolean()
  admin?: boolean;
}

export class ChannelNameQuery {
  @Matches(NAME_PATTERN, { message: `name ${NAME_MESSAGE}` })
  name!: string;
}

export class MetricsSummaryQuery {
  @IsOptional()
  @Matches(DURATION, { message: `window ${DURATION_MESSAGE}` })
  window?: string;
}

export class AgentMetricsSampleQuery {
  @IsInt()
  @Min(1)
  @Max(7 * 86_400)
  window_seconds!: number;

  /** Agents to report one by one besides the workspace's totals. */
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(NAME_PATTERN, { each: true, message: `agents: each ${NAME_MESSAGE}` })
  agents?: string[];

  /** Read each agent's task-topic lag from the broker (two requests per agent): only when asked. */
  @IsOptional()
  @IsBoolean()
  queue_lag?: boolean;
}

/** `budget_used` of alert rules: the workspace's llm budget and, one by one, these agents'. */
export class BudgetUsageSampleQuery {
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(NAME_PATTERN, { each: true, message: `agents: each ${NAME_MESSAGE}` })
  agents!: string[];
}

/**
 * The largest fraction of a day or month limit spent (0.8 = 80 %; above 1
 * when a call overshot it), of the workspace's budget (PUT /v1/llm-budget)
 * and of each agent's `config.budget`; null where there is no such limit.
 */
export interface BudgetUsageSample {
  workspace: number | null;
  /** The agents asked for that exist; an unknown one is absent. */
  agents: Record<string, number | null>;
}

export class ConnectionMetricsSampleQuery {
  @IsInt()
  @Min(1)
  @Max(7 * 86_400)
  window_seconds!: number;

  /** Connections to report one by one. */
  @IsArray()
  @ArrayMaxSize(200)
  @Matches(NAME_PATTERN, { each: true, message: `connections: each ${NAME_MESSAGE}` })
  connections!: string[];
}

/** One connection's calls over a window, across every integration-manager replica. */
export interface ConnectionFigures {
  calls: number;
  ok: number;
  /** system errors and timeouts (the target's fault), breaker refusals included. */
  failed: number;
  /** The caller's mistakes (validation errors): neither ok nor the target's failure. */
  rejected: number;
  p95_ms: number | null;
  /** 1 when the connection's breaker is open on at least one replica now. */
  breaker_open: number;
}

export interface ConnectionMetricsSample {
  window_seconds: number;
  /** Connections of the workspace whose breaker is open on at least one replica. */
  breakers_open: number;
  /** The connections asked for that exist; an unknown one is absent. */
  connections: Record<string, ConnectionFigures>;
}

export interface AgentFigures {
  tasks: number;
  completed: number;
  failed: number;
  /** null when there were no tasks in the window. */
  p50_ms: number | null;
  p95_ms: number | null;
  /** Tasks handed out and not finished yet. */
  in_flight: number;
  /**
   * Kafka consumer lag of the agent's task topic (baton.agent.tasks.<workspace>.<agent>):
   * messages past the committed offset of its workers' consumer group, i.e. queued and
   * being worked on. Null when the broker could not be asked or the sample did not ask for
   * it (`queue_lag: true`); for the workspace, the sum over its first 200 agents.
   */
  queue_lag: number | null;
  /** Agents whose circuit breaker is open (0 or 1 for one agent). */
  breakers_open: number;
}

export interface AgentMetricsSample {
  window_seconds: number;
  workspace: AgentFigures;
  /** The agents asked for that exist; an unknown one is absent. */
  agents: Record<string, AgentFigures>;
  /** Every agent with tasks in the window, busiest first (at most 50), for the summary. */
  busiest: ({ agent: string } & AgentFigures)[];
}

export interface AlertView {
  name: string;
  condition: string;
  notification_channels: string[];
  severity: string;
  for: string | null;
  window: string;
  scope: { agent?: string; workflow?: string; connection?: string; platform?: boolean } | null;
  description: string | null;
  state: 'ok' | 'pending' | 'firing' | 'resolved';
  state_since: string | null;
  silenced_until: string | null;
  last_evaluated_at: string | null;
  /** The values of the last evaluation, by comparison (`error_rate[5m]`). */
  last_values: Record<string, number | null>;
  created_at: string;
  updated_at: string;
}

export interface AlertHistoryEntryView {
  id: string;
  from: string;
  to: string;
  at: string;
  values: Record<string, number | null>;
  /** What was sent for this transition, per channel. */
  notifications: NotificationView[];
}

export interface NotificationView {
  id: string;
  channel: string;
  status: 'pending' | 'sent' | 'dead' | 'silenced';
  attempts: number;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

export interface NotificationChannelView {
  name: string;
  kind: ChannelKind;
  admin: boolean;
  /** The target without secrets (passwords, routing keys, Slack URL paths are masked). */
  target: Record<string, unknown>;
  created_at: string;
  /** Notifications waiting to be sent, and the last failure, so a failing channel is visible. */
  pending: number;
  dead: number;
  last_error: string | null;
  /** Only in the answer to the create call of a webhook channel: the signing secret. */
  signing_secret?: string;
}

export interface IncidentView {
  id: string;
  source: string;
  title: string;
  severity: string;
  status: 'open';
  run_id: string | null;
  step: string | null;
  error: { type: string; message: string } | null;
  created_at: string;
}

export interface MetricsSummaryView {
  window: string;
  window_seconds: number;
  agents: {
    tasks: number;
    success_rate: number | null;
    error_rate: number | null;
    response_ms: { p50: number | null; p95: number | null };
    in_flight: number;
    /** Kafka consumer lag of the agents' task topics (see AgentFigures.queue_lag). */
    queue_lag: number | null;
    breakers_open: number;
    by_agent: {
      agent: string;
      tasks: number;
      error_rate: number | null;
      p95_ms: number | null;
    }[];
  };
  workflows: {
    runs_started: number;
    runs_completed: number;
    runs_failed: number;
    success_rate: number | null;
    error_rate: number | null;
    run_duration_ms: { p50: number | null; p95: number | null };
    steps_completed: number;
    steps_failed: number;
    step_completion_rate: number | null;
    /** The slowest steps by p95 duration (at most 10). */
    bottlenecks: { workflow: string | null; step: string; count: number; p95_ms: number }[];
  };
  dead_letters: number;
  alerts: { firing: number; pending: number };
}
