import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { AgentManagerEnv } from '../agent-manager.env';
import { Counter, Gauge, Histogram, register } from 'prom-client';
import type { DataSource } from 'typeorm';
import { CircuitBreakers } from '../runtimes/circuit-breakers';

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
export class AgentMetrics {
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
    @InjectDataSource() dataSource: DataSource,
    env: AgentManagerEnv,
    breakers: CircuitBreakers,
  ) {
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
            const rows = (await dataSource.query(
              `SELECT workspace_id, agent, count(*)::int AS n FROM tasks
               WHERE status = 'running' GROUP BY workspace_id, agent`,
            )) as { workspace_id: string; agent: string; n: number }[];
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
            const rows = (await dataSource.query(
              `SELECT workspace_id, agent, count(*)::int AS n FROM agent_instances
               WHERE last_heartbeat > now() - ($1 || ' milliseconds')::interval
               GROUP BY workspace_id, agent`,
              [String(ttlMs)],
            )) as { workspace_id: string; agent: string; n: number }[];
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

  record(workspace: string, agent: string, status: string, durationMs: number | null): void {
    this.tasks.inc({ workspace, agent, status });
    if (durationMs !== null) this.duration.observe({ workspace, agent }, durationMs / 1000);
  }
}
