import {
  AgentNameQuery,
  AgentStatsQuery,
  AgentTaskMessageTypes,
  DomainError,
  type AgentInstanceView,
  type AgentStatsView,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AgentsRepository } from '../agents/agents.repository';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { CircuitBreakers } from '../runtimes/circuit-breakers';

/** Instances seen within this many TTLs are listed (as unhealthy once past one TTL). */
const LISTED_TTLS = 20;

interface InstanceRow {
  instance_id: string;
  pid: number | null;
  in_flight: number;
  version: string | null;
  last_heartbeat: Date;
  tasks: { task_id: string; attempt: number; since: string }[];
  lease_ms: number | null;
}

interface StatsRow {
  tasks: number;
  completed: number;
  failed: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  avg: number | null;
}

export function instanceHealth(
  lastHeartbeat: Date,
  now: number,
  ttlMs: number,
): 'healthy' | 'unhealthy' {
  return now - lastHeartbeat.getTime() <= ttlMs ? 'healthy' : 'unhealthy';
}

/** `GET /v1/agents/{name}/instances` and `/stats`. */
@Injectable()
export class AgentObservationHandlers extends CommandHandlers {
  private readonly ttlMs: number;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly agents: AgentsRepository,
    private readonly breakers: CircuitBreakers,
    env: AgentManagerEnv,
  ) {
    super();
    this.ttlMs = env.AGENT_HEARTBEAT_TTL_MS;
  }

  register(server: CommandRegistry): void {
    server
      .handle(AgentTaskMessageTypes.instances, AgentNameQuery, async (query, envelope) => {
        await this.requireAgent(envelope.workspaceid, query.name);
        return { items: await this.instances(envelope.workspaceid, query.name) };
      })
      .handle(AgentTaskMessageTypes.stats, AgentStatsQuery, async (query, envelope) => {
        await this.requireAgent(envelope.workspaceid, query.name);
        return this.stats(envelope.workspaceid, query.name, query.window ?? 3600);
      });
  }

  private async requireAgent(workspaceId: string, name: string): Promise<void> {
    if (!(await this.agents.find(workspaceId, name))) throw DomainError.notFound('agent', name);
  }

  private async instances(workspaceId: string, agent: string): Promise<AgentInstanceView[]> {
    const rows = (await this.dataSource.query(
      `SELECT instance_id, in_flight, version, last_heartbeat, pid, tasks, lease_ms FROM agent_instances
       WHERE workspace_id = $1 AND agent = $2
         AND last_heartbeat > now() - ($3 || ' milliseconds')::interval
       ORDER BY last_heartbeat DESC LIMIT 1000`,
      [workspaceId, agent, String(this.ttlMs * LISTED_TTLS)],
    )) as InstanceRow[];
    const now = Date.now();
    return rows.map((row) => ({
      instance_id: row.instance_id,
      health: instanceHealth(row.last_heartbeat, now, this.ttlMs),
      last_heartbeat: row.last_heartbeat.toISOString(),
      in_flight: row.in_flight,
      version: row.version,
      pid: row.pid,
      tasks: row.tasks.map((held) => ({
        ...held,
        lease_expires_at:
          row.lease_ms === null
            ? null
            : new Date(Date.parse(held.since) + row.lease_ms).toISOString(),
      })),
    }));
  }

  private async stats(
    workspaceId: string,
    agent: string,
    windowSeconds: number,
  ): Promise<AgentStatsView> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS tasks,
              (count(*) FILTER (WHERE status = 'completed'))::int AS completed,
              (count(*) FILTER (WHERE status = 'failed'))::int AS failed,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95,
              percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99,
              avg(duration_ms)::float AS avg
       FROM agent_results
       WHERE workspace_id = $1 AND agent = $2 AND finished_at > now() - ($3 || ' seconds')::interval`,
      [workspaceId, agent, String(windowSeconds)],
    )) as StatsRow[];
    const [running] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM tasks WHERE workspace_id = $1 AND agent = $2 AND status = 'running'`,
      [workspaceId, agent],
    )) as { n: number }[];
    const instances = await this.instances(workspaceId, agent);
    const healthy = instances.filter((i) => i.health === 'healthy');
    const breaker = this.breakers.snapshot(workspaceId, agent);
    const round = (value: number | null) => (value === null ? null : Math.round(value * 10) / 10);
    return {
      agent,
      window_seconds: windowSeconds,
      tasks: row.tasks,
      completed: row.completed,
      failed: row.failed,
      error_rate: row.tasks === 0 ? 0 : row.failed / row.tasks,
      rate: row.tasks / windowSeconds,
      response_ms: {
        p50: round(row.p50),
        p95: round(row.p95),
        p99: round(row.p99),
        avg: round(row.avg),
      },
      // Tasks agent-manager tracks, or what live instances report, whichever says more.
      in_flight: Math.max(
        running.n,
        healthy.reduce((sum, i) => sum + i.in_flight, 0),
      ),
      instances: { healthy: healthy.length, unhealthy: instances.length - healthy.length },
      circuit: { state: breaker.state, consecutive_failures: breaker.consecutive_failures },
    };
  }
}
