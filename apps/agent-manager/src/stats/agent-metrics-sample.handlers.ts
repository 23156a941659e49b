import {
  AgentMetricsSampleQuery,
  AlertMessageTypes,
  type AgentFigures,
  type AgentMetricsSample,
} from '@baton/contracts';
import { BatonKafka, type CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TaskBacklog } from '../provisioning/provisioner-support';
import { CircuitBreakers } from '../runtimes/circuit-breakers';

/** Agents listed one by one in a sample's `busiest`. */
const BUSIEST = 50;
/** Agents whose task-topic lag one sample reads at most (two broker requests each). */
const MAX_LAG_AGENTS = 200;

interface FiguresRow {
  agent: string | null;
  tasks: number;
  completed: number;
  failed: number;
  p50: number | null;
  p95: number | null;
}

/**
 * Agent figures over a window for event-manager's alert evaluator and metrics
 * summary (`baton.agent.metrics.sample`): invocation outcomes and durations
 * from agent_results (every result this service consumed, workflow steps
 * included), tasks in flight, open breakers, and the queue lag: the Kafka
 * consumer lag of each agent's task topic, read from the broker. The
 * workspace is the request's.
 */
@Injectable()
export class AgentMetricsSampleHandler extends CommandHandlers implements OnModuleDestroy {
  private readonly backlog: TaskBacklog;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly breakers: CircuitBreakers,
    @Inject(BatonKafka) kafka: BatonKafka,
  ) {
    super();
    this.backlog = new TaskBacklog(kafka);
  }

  register(server: CommandRegistry): void {
    server.handle(
      AlertMessageTypes.agentMetricsSample,
      AgentMetricsSampleQuery,
      (query, envelope) =>
        this.sample(
          envelope.workspaceid,
          query.window_seconds,
          query.agents ?? [],
          query.queue_lag === true,
        ),
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.backlog.close();
  }

  private async sample(
    workspaceId: string,
    windowSeconds: number,
    agents: string[],
    withQueueLag: boolean,
  ): Promise<AgentMetricsSample> {
    // One scan: per agent, and the workspace's totals as the grouping set's empty row.
    const rows = (await this.dataSource.query(
      `SELECT agent, count(*)::int AS tasks,
              (count(*) FILTER (WHERE status = 'completed'))::int AS completed,
              (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
         FROM agent_results
        WHERE workspace_id = $1 AND finished_at > now() - ($2 || ' seconds')::interval
        GROUP BY GROUPING SETS ((agent), ())`,
      [workspaceId, String(windowSeconds)],
    )) as FiguresRow[];
    const inFlight = (await this.dataSource.query(
      `SELECT agent, count(*)::int AS n FROM tasks
        WHERE workspace_id = $1 AND status = 'running' GROUP BY agent`,
      [workspaceId],
    )) as { agent: string; n: number }[];
    const running = new Map(inFlight.map((row) => [row.agent, Number(row.n)]));
    const open = new Set(
      this.breakers
        .all()
        .filter((b) => b.workspaceId === workspaceId && b.snapshot.state === 'open')
        .map((b) => b.agent),
    );
    const lags = withQueueLag
      ? await this.queueLags(workspaceId)
      : new Map<string, number | null>();
    const byAgent = new Map(rows.filter((r) => r.agent !== null).map((r) => [r.agent!, r]));
    const figures = (row: FiguresRow | undefined, agent: string | null): AgentFigures => ({
      tasks: row?.tasks ?? 0,
      completed: row?.completed ?? 0,
      failed: row?.failed ?? 0,
      p50_ms: round(row?.p50 ?? null),
      p95_ms: round(row?.p95 ?? null),
      in_flight:
        agent === null
          ? [...running.values()].reduce((sum, n) => sum + n, 0)
          : (running.get(agent) ?? 0),
      breakers_open: agent === null ? open.size : open.has(agent) ? 1 : 0,
      queue_lag: !withQueueLag
        ? null
        : agent === null
          ? sumOrNull([...lags.values()])
          : (lags.get(agent) ?? null),
    });
    const known = await this.existing(workspaceId, agents);
    return {
      window_seconds: windowSeconds,
      workspace: figures(
        rows.find((r) => r.agent === null),
        null,
      ),
      agents: Object.fromEntries(known.map((agent) => [agent, figures(byAgent.get(agent), agent)])),
      busiest: [...byAgent.values()]
        .sort((a, b) => b.tasks - a.tasks)
        .slice(0, BUSIEST)
        .map((row) => ({ agent: row.agent!, ...figures(row, row.agent) })),
    };
  }

  /**
   * Per agent of the workspace (the first MAX_LAG_AGENTS by name), its task topic's
   * end offsets minus its consumer group's committed offsets; null where the broker
   * did not answer (a topic not created yet, a broker outage).
   */
  private async queueLags(workspaceId: string): Promise<Map<string, number | null>> {
    const agents = (await this.dataSource.query(
      `SELECT name FROM agents WHERE workspace_id = $1 AND status <> 'decommissioned'
        ORDER BY name LIMIT $2`,
      [workspaceId, MAX_LAG_AGENTS],
    )) as { name: string }[];
    const lags = await Promise.all(
      agents.map((a) => this.backlog.of(workspaceId, a.name).catch(() => null)),
    );
    return new Map(agents.map((a, i) => [a.name, lags[i]]));
  }

  private async existing(workspaceId: string, agents: string[]): Promise<string[]> {
    if (agents.length === 0) return [];
    const rows = (await this.dataSource.query(
      `SELECT name FROM agents WHERE workspace_id = $1 AND name = ANY($2::text[])`,
      [workspaceId, agents],
    )) as { name: string }[];
    return rows.map((row) => row.name);
  }
}

function sumOrNull(values: (number | null)[]): number | null {
  if (values.some((v) => v === null)) return null;
  return values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
