import type {
  AgentView,
  Page,
  RunView,
  StoredEventView,
  SubscriptionView,
  WorkflowView,
} from '@baton/contracts';
import pino from 'pino';
import { HttpClient } from './http-client';
import { StructuredLogger } from './structured-logger';

export interface PlatformOptions {
  apiKey: string;
  endpoint: string;
  workspaceId?: string;
  timeoutMs?: number;
}

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

/** The seed's create_workflow(...) arguments; `steps` and the rest follow the YAML DSL. */
export interface WorkflowSpec {
  name: string;
  steps?: unknown[];
  [field: string]: unknown;
}

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

  constructor(options: PlatformOptions) {
    this.http = new HttpClient(options);
    this.logger = new StructuredLogger(
      pino({ base: { workspace_id: options.workspaceId ?? 'default' } }),
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
   * The seed's `subscribe(agent_id, events=['order.created', 'order.updated'], handler)`:
   * every matching event becomes a task of the agent, which an AgentWorker serves
   * (its handler receives the event as a CloudEvent).
   */
  subscribe(subscription: {
    agent_id: string;
    events: string[];
    filter?: string;
  }): Promise<SubscriptionView> {
    return this.http.request('POST', '/v1/subscriptions', {
      body: {
        agent: subscription.agent_id,
        events: subscription.events,
        ...(subscription.filter !== undefined ? { filter: subscription.filter } : {}),
      },
    });
  }
}
