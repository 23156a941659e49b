import { BatonKafka } from '@baton/kafka';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import { AgentsRepository } from '../agent-model/agents.repository';
import { AgentInstancesRepository } from '../instances/agent-instances.repository';
import { TaskBacklog } from '../provisioning/provisioner-support';
import { CircuitBreakers } from '../runtimes/circuit-breakers';
import { AgentStatsRepository } from './agent-stats.repository';

/** Agents whose queue lag one scrape reads at most (two broker requests each). */
const MAX_LAG_AGENTS = 500;

const LABELS = ['workspace', 'agent'] as const;
const STATE_VALUE = { closed: 0, half_open: 1, open: 2 } as const;

function metric<T>(name: string, create: () => T): T {
  // One registry per process; a second module instance (tests) must not register twice.
  return (register.getSingleMetric(name) as T | undefined) ?? create();
}

/**
 * Per-agent Prometheus metrics on agent-manager's /metrics. Counts and
 * durations come from every result on baton.agent.results this replica
 * consumes (workflow steps included); in-flight and healthy instances are read
 * from Postgres at scrape time, so every replica reports the same gauges.
 */
@Injectable()
export class AgentMetrics implements OnModuleDestroy {
  private readonly backlog: TaskBacklog;

  readonly duration = metric(
    'baton_agent_task_duration_seconds',
    () =>
      new Histogram({
        name: 'baton_agent_task_duration_seconds',
        help: 'Time agents took per task, from the results they sent',
        labelNames: LABELS,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      }),
  );

  readonly tasks = metric(
    'baton_agent_tasks_total',
    () =>
      new Counter({
        name: 'baton_agent_tasks_total',
        help: 'Agent task results by status (completed, failed)',
        labelNames: [...LABELS, 'status'],
      }),
  );

  constructor(
    agents: AgentsRepository,
    stats: AgentStatsRepository,
    instances: AgentInstancesRepository,
    env: AgentManagerEnv,
    breakers: CircuitBreakers,
    @Inject(BatonKafka) kafka: BatonKafka,
  ) {
    const backlog = (this.backlog = new TaskBacklog(kafka));
    metric(
      'baton_agent_queue_lag_messages',
      () =>
        new Gauge({
          name: 'baton_agent_queue_lag_messages',
          help: 'Tasks on an agent’s task topic its workers have not finished (queued and in flight)',
          labelNames: LABELS,
          async collect() {
            const live = await agents.liveEverywhere(MAX_LAG_AGENTS).catch(() => []);
            const lags = await Promise.all(
              live.map((a) => backlog.of(a.workspace_id, a.name).catch(() => undefined)),
            );
            this.reset();
            live.forEach((a, i) => {
              const lag = lags[i];
              if (lag !== undefined) this.set({ workspace: a.workspace_id, agent: a.name }, lag);
            });
          },
        }),
    );
    const ttlMs = env.AGENT_HEARTBEAT_TTL_MS;
    metric(
      'baton_agent_in_flight_tasks',
      () =>
        new Gauge({
          name: 'baton_agent_in_flight_tasks',
          help: 'Tasks agent-manager knows to be running, per agent',
          labelNames: LABELS,
          async collect() {
            this.reset();
            const rows = await stats.runningEverywhere();
            for (const row of rows)
              this.set({ workspace: row.workspace_id, agent: row.agent }, row.n);
          },
        }),
    );
    metric(
      'baton_agent_healthy_instances',
      () =>
        new Gauge({
          name: 'baton_agent_healthy_instances',
          help: 'Instances whose last heartbeat is within the TTL',
          labelNames: LABELS,
          async collect() {
            this.reset();
            const rows = await instances.healthyCounts(ttlMs);
            for (const row of rows)
              this.set({ workspace: row.workspace_id, agent: row.agent }, row.n);
          },
        }),
    );
    metric(
      'baton_agent_circuit_state',
      () =>
        new Gauge({
          name: 'baton_agent_circuit_state',
          help: 'Circuit breaker per agent: 0 closed, 1 half-open, 2 open',
          labelNames: LABELS,
          collect() {
            this.reset();
            for (const { workspaceId, agent, snapshot } of breakers.all()) {
              this.set({ workspace: workspaceId, agent }, STATE_VALUE[snapshot.state]);
            }
          },
        }),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.backlog.close();
  }

  record(workspace: string, agent: string, status: string, durationMs: number | null): void {
    this.tasks.inc({ workspace, agent, status });
    if (durationMs !== null) this.duration.observe({ workspace, agent }, durationMs / 1000);
  }
}
