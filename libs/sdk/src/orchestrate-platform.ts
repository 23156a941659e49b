import type {
  AlertView,
  MetricsSummaryView,
  NotificationChannelView,
  AgentInstanceView,
  AgentStatsView,
  AgentVersionView,
  InvokeResultView,
  Page,
  TaskView,
  SubscriptionView,
} from '@baton/contracts';
import type {
  AgentView,
  ApiKeyView,
  ConnectionView,
  IssuedApiKeyView,
  ReplayView,
  RunView,
  StoredEventView,
  ValidationReportView,
  WorkflowVersionView,
  WorkflowView,
} from './api-types';
import pino from 'pino';
import { EventSubscription, type EventHandler } from './event-stream';
import { HttpClient, type HttpOptions } from './http-client';
import { LogShipper } from './log-shipper';
import { followRunEvents, type RunStreamEvent } from './run-events';
import { StructuredLogger } from './structured-logger';

/** apiKey, endpoint, workspaceId, timeoutMs (each attempt's), retry (of 429 and 503). */
export type PlatformOptions = HttpOptions;

/** The seed's register_agent(...) arguments, in the same snake_case. */
export interface AgentRegistration {
  name: string;
  type: string;
  capabilities?: string[];
  max_instances?: number;
  min_instances?: number;
  runtime?: string;
  description?: string;
  config?: Record<string, unknown>;
  input_schema?: Record<string, unknown>;
  output_schema?: Record<string, unknown>;
}

/** What `updateAgent` may change; null clears a schema or the description. */
export type AgentChanges = Partial<
  Omit<AgentRegistration, 'name' | 'description' | 'input_schema' | 'output_schema'>
> & {
  description?: string | null;
  input_schema?: Record<string, unknown> | null;
  output_schema?: Record<string, unknown> | null;
};

/** The seed's create_workflow(...) arguments; `steps` and the rest follow the YAML DSL. */
export interface WorkflowSpec {
  name: string;
  steps?: unknown[];
  [field: string]: unknown;
}

/** The seed's invoke_agent(agent_id=..., input=..., timeout=5000): timeout in milliseconds. */
export interface InvokeRequest {
  agent_id: string;
  input?: unknown;
  timeout?: number;
}

/** The seed's submit_task(agent_id=..., input=..., callback_url=...). */
export interface SubmitRequest {
  agent_id: string;
  input?: unknown;
  callback_url?: string;
  idempotency_key?: string;
}

/**
 * The seed's create_alert(name=..., condition=..., notification_channels=[...], severity=...);
 * channels are named by name or by kind (every channel of that kind).
 */
export interface AlertSpec {
  name: string;
  condition: string;
  notification_channels: string[];
  severity: 'info' | 'warning' | 'error' | 'critical';
  for?: string;
  window?: string;
  scope?: { agent?: string; workflow?: string; connection?: string };
  description?: string;
}
export { EventSubscription, StreamRefused, type EventHandler } from './event-stream';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

/**
 * The TypeScript client, shaped like the seed's Python examples:
 *
 *   const orchestrate = new OrchestratePlatform({ apiKey, endpoint, workspaceId });
 *   await orchestrate.registerAgent({ name: 'customer-service-agent', type: 'conversational', ... });
 */
export class OrchestratePlatform {
  readonly logger: StructuredLogger;
  private readonly http: HttpClient;

  constructor(private readonly options: PlatformOptions) {
    this.http = new HttpClient(options);
    this.logger = new StructuredLogger(
      pino({ base: { workspace_id: options.workspaceId ?? 'default' } }),
      new LogShipper(this.http),
    );
  }

  registerAgent(agent: AgentRegistration): Promise<AgentView> {
    return this.http.request('POST', '/v1/agents', { body: agent });
  }

  getAgent(name: string): Promise<AgentView> {
    return this.http.request('GET', `/v1/agents/${encodeURIComponent(name)}`);
  }

  listAgents(
    filter: { capability?: string; type?: string; cursor?: string } = {},
  ): Promise<Page<AgentView>> {
    return this.http.request('GET', '/v1/agents', { query: filter });
  }

  /** Changes an agent; the answer is its new version. */
  updateAgent(name: string, changes: AgentChanges): Promise<AgentView> {
    return this.http.request('PATCH', `/v1/agents/${encodeURIComponent(name)}`, { body: changes });
  }

  /** Starts draining an agent: no new tasks, in-flight ones finish, then it is decommissioned. */
  decommissionAgent(name: string): Promise<AgentView> {
    return this.http.request('DELETE', `/v1/agents/${encodeURIComponent(name)}`);
  }

  listAgentVersions(name: string, cursor?: string): Promise<Page<AgentVersionView>> {
    return this.http.request('GET', `/v1/agents/${encodeURIComponent(name)}/versions`, {
      query: { cursor },
    });
  }

  getAgentInstances(name: string): Promise<{ items: AgentInstanceView[] }> {
    return this.http.request('GET', `/v1/agents/${encodeURIComponent(name)}/instances`);
  }

  getAgentStats(name: string, windowSeconds?: number): Promise<AgentStatsView> {
    return this.http.request('GET', `/v1/agents/${encodeURIComponent(name)}/stats`, {
      query: { window: windowSeconds },
    });
  }

  /**
   * Request-response: waits for the agent's answer. Rejects with a
   * BatonApiError 504 when `timeout` (ms) passes, 502 when the agent fails.
   */
  invokeAgent(request: InvokeRequest): Promise<InvokeResultView> {
    const timeout = request.timeout ?? 30_000;
    return this.http.request('POST', `/v1/agents/${encodeURIComponent(request.agent_id)}/invoke`, {
      body: { input: request.input, timeout },
      timeoutMs: timeout + 10_000,
    });
  }

  /** Fire-and-forget: answers at once with the task id; the result is POSTed to callback_url. */
  submitTask(request: SubmitRequest): Promise<{ task_id: string; status: string }> {
    return this.http.request('POST', `/v1/agents/${encodeURIComponent(request.agent_id)}/tasks`, {
      body: { input: request.input, callback_url: request.callback_url },
      headers: request.idempotency_key ? { 'idempotency-key': request.idempotency_key } : {},
    });
  }

  getTask(id: string): Promise<TaskView> {
    return this.http.request('GET', `/v1/tasks/${encodeURIComponent(id)}`);
  }

  /** A workflow as YAML text, or as an object with the same fields as the YAML's `workflow:`. */
  createWorkflow(workflow: string | WorkflowSpec): Promise<WorkflowView> {
    return typeof workflow === 'string'
      ? this.http.request('POST', '/v1/workflows', {
          body: workflow,
          contentType: 'application/yaml',
        })
      : this.http.request('POST', '/v1/workflows', { body: { workflow } });
  }

  startRun(
    workflow: string,
    input: Record<string, unknown> = {},
    options: { idempotencyKey?: string } = {},
  ): Promise<RunView> {
    return this.http.request('POST', `/v1/workflows/${encodeURIComponent(workflow)}/runs`, {
      body: { input },
      headers: options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    });
  }

  listRuns(
    filter: { workflow?: string; status?: string; limit?: number; cursor?: string } = {},
  ): Promise<Page<RunView>> {
    return this.http.request('GET', '/v1/runs', { query: filter });
  }

  getRun(id: string): Promise<RunView> {
    return this.http.request('GET', `/v1/runs/${encodeURIComponent(id)}`);
  }

  /** Polls until the run ends (completed, failed or cancelled) or the timeout passes. */
  async waitForRun(id: string, timeoutMs = 30_000, pollMs = 100): Promise<RunView> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.getRun(id);
      if (TERMINAL.has(run.status)) return run;
      if (Date.now() > deadline)
        throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  /** Follows the run's events (SSE) until it ends; see followRunEvents. */
  followRun(
    id: string,
    onEvent: (event: RunStreamEvent) => void,
    options: { signal?: AbortSignal } = {},
  ): Promise<void> {
    return followRunEvents(this.http, id, onEvent, options);
  }

  cancelRun(id: string, reason?: string): Promise<RunView> {
    return this.http.request('POST', `/v1/runs/${encodeURIComponent(id)}/cancel`, {
      body: reason === undefined ? {} : { reason },
    });
  }

  /** A failed run runs again from its failed step. */
  retryRun(id: string): Promise<RunView> {
    return this.http.request('POST', `/v1/runs/${encodeURIComponent(id)}/retry`);
  }

  getWorkflow(name: string): Promise<WorkflowView> {
    return this.http.request('GET', `/v1/workflows/${encodeURIComponent(name)}`);
  }

  getWorkflowVersion(name: string, version: number): Promise<WorkflowVersionView> {
    return this.http.request(
      'GET',
      `/v1/workflows/${encodeURIComponent(name)}/versions/${version}`,
    );
  }

  /** Every problem of a workflow document, with line and column for YAML; stores nothing. */
  validateWorkflow(workflow: string | WorkflowSpec): Promise<ValidationReportView> {
    return typeof workflow === 'string'
      ? this.http.request('POST', '/v1/workflows/validate', {
          body: workflow,
          contentType: 'application/yaml',
        })
      : this.http.request('POST', '/v1/workflows/validate', { body: { workflow } });
  }

  createConnection(connection: {
    name: string;
    connector: string;
    config: Record<string, unknown>;
    secrets?: Record<string, string>;
  }): Promise<ConnectionView> {
    return this.http.request('POST', '/v1/connections', { body: connection });
  }

  getConnection(name: string): Promise<ConnectionView> {
    return this.http.request('GET', `/v1/connections/${encodeURIComponent(name)}`);
  }

  /** Changes config and secrets (a null secret removes it). */
  updateConnection(
    name: string,
    changes: { config?: Record<string, unknown>; secrets?: Record<string, string | null> },
  ): Promise<ConnectionView> {
    return this.http.request('PATCH', `/v1/connections/${encodeURIComponent(name)}`, {
      body: changes,
    });
  }

  /** A key of the caller's workspace; `key` is in this answer only. */
  createApiKey(request: {
    name: string;
    role: string;
    expires_at?: string;
    scopes?: string[];
  }): Promise<IssuedApiKeyView> {
    return this.http.request('POST', '/v1/api-keys', { body: request });
  }

  listApiKeys(filter: { cursor?: string; limit?: number } = {}): Promise<Page<ApiKeyView>> {
    return this.http.request('GET', '/v1/api-keys', { query: filter });
  }

  async revokeApiKey(id: string): Promise<void> {
    await this.http.request('DELETE', `/v1/api-keys/${encodeURIComponent(id)}`);
  }

  /** Replays stored events to a subscription, a topic, or their original targets. */
  createReplay(request: {
    filter: { types?: string[]; from?: string; to?: string; subject?: string };
    target: { topic?: string; subscription_id?: string; original?: boolean };
    rate_limit?: number;
    dry_run?: boolean;
  }): Promise<ReplayView> {
    return this.http.request('POST', '/v1/replays', { body: request });
  }

  getReplay(id: string): Promise<ReplayView> {
    return this.http.request('GET', `/v1/replays/${encodeURIComponent(id)}`);
  }

  publishEvent(event: {
    type: string;
    data: unknown;
    subject?: string;
    source?: string;
    id?: string;
  }): Promise<{ id: string }> {
    return this.http.request('POST', '/v1/events', { body: event });
  }

  listEvents(
    filter: Record<string, string | number | undefined> = {},
  ): Promise<Page<StoredEventView>> {
    return this.http.request('GET', '/v1/events', { query: filter });
  }

  /**
   * The seed's `subscribe(agent_id, events=['order.created', 'order.updated'], handler)`.
   *
   * With a `handler`, this process follows the workspace's event stream
   * (`GET /v1/events/stream`) and calls the handler for each matching event
   * (types may be patterns: `order.*`), resuming after the last event handled
   * when the connection breaks or the handler throws (at least once). Resolves
   * once the stream is open; `close()` stops it.
   *
   * Without a handler, it creates a durable subscription: every matching event
   * becomes a task of the agent, which an AgentWorker serves (its handler
   * receives the event as a CloudEvent).
   */
  subscribe(subscription: {
    agent_id?: string;
    events: string[];
    handler: EventHandler;
    subject?: string;
    last_event_id?: string;
    on_error?: (error: unknown) => void;
  }): Promise<EventSubscription>;
  subscribe(subscription: {
    agent_id: string;
    events: string[];
    filter?: string;
  }): Promise<SubscriptionView>;
  async subscribe(subscription: {
    agent_id?: string;
    events: string[];
    filter?: string;
    handler?: EventHandler;
    subject?: string;
    last_event_id?: string;
    on_error?: (error: unknown) => void;
  }): Promise<EventSubscription | SubscriptionView> {
    if (subscription.handler) {
      const stream = new EventSubscription({
        endpoint: this.options.endpoint,
        apiKey: this.options.apiKey,
        workspaceId: this.options.workspaceId,
        types: subscription.events,
        subject: subscription.subject,
        lastEventId: subscription.last_event_id,
        handler: subscription.handler,
        onError: subscription.on_error,
      });
      await stream.opened;
      if (stream.error) throw stream.error;
      return stream;
    }
    return this.http.request('POST', '/v1/subscriptions', {
      body: {
        agent: subscription.agent_id,
        events: subscription.events,
        ...(subscription.filter !== undefined ? { filter: subscription.filter } : {}),
      },
    });
  }

  /** The seed's `create_alert(...)`: `{ name, condition, notification_channels, severity }`. */
  createAlert(alert: AlertSpec): Promise<AlertView> {
    return this.http.request('POST', '/v1/alerts', { body: alert });
  }

  listAlerts(): Promise<Page<AlertView>> {
    return this.http.request('GET', '/v1/alerts');
  }

  /** A channel alerts (and the notify-admin handler, when `admin`) send through. */
  createNotificationChannel(channel: {
    name: string;
    kind: 'email' | 'slack' | 'webhook' | 'pagerduty';
    config: Record<string, unknown>;
    admin?: boolean;
  }): Promise<NotificationChannelView> {
    return this.http.request('POST', '/v1/notification-channels', { body: channel });
  }

  /** Response times, success and error rates, step completion and bottlenecks over `window`. */
  getMetricsSummary(window = '15m'): Promise<MetricsSummaryView> {
    return this.http.request('GET', '/v1/metrics/summary', { query: { window } });
  }
}
