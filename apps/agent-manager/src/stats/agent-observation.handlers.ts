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
import { AgentsRepository } from '../agent-model/agents.repository';
import { AgentInstancesRepository } from '../instances/agent-instances.repository';
import { AgentStatsRepository } from './agent-stats.repository';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { CircuitBreakers } from '../runtimes/circuit-breakers';

/** Instances seen within this many TTLs are listed (as unhealthy once past one TTL). */
const LISTED_TTLS = 20;

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
    private readonly agents: AgentsRepository,
    private readonly instanceRows: AgentInstancesRepository,
    private readonly results: AgentStatsRepository,
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
    const rows = await this.instanceRows.recent(workspaceId, agent, this.ttlMs * LISTED_TTLS);
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
    const row = await this.results.agentStats(workspaceId, agent, windowSeconds);
    const running = await this.results.countRunning(workspaceId, agent);
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
        running,
        healthy.reduce((sum, i) => sum + i.in_flight, 0),
      ),
      instances: { healthy: healthy.length, unhealthy: instances.length - healthy.length },
      circuit: { state: breaker.state, consecutive_failures: breaker.consecutive_failures },
    };
  }
}
