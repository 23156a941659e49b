import {
  AgentMetricsSampleQuery,
  AlertMessageTypes,
  type AgentFigures,
  type AgentMetricsSample,
} from '@baton/contracts';
import { BatonKafka, type CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { AgentsRepository } from '../agent-model/agents.repository';
import { TaskBacklog } from '../provisioning/provisioner-support';
import { CircuitBreakers } from '../runtimes/circuit-breakers';
import { AgentStatsRepository, type ResultFiguresRow } from './agent-stats.repository';

/** Agents listed one by one in a sample's `busiest`. */
const BUSIEST = 50;
/** Agents whose task-topic lag one sample reads at most (two broker requests each). */
const MAX_LAG_AGENTS = 200;

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
    private readonly results: AgentStatsRepository,
    private readonly agents: AgentsRepository,
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
    const rows = await this.results.figuresPerAgent(workspaceId, windowSeconds);
    const inFlight = await this.results.runningPerAgent(workspaceId);
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
    const figures = (row: ResultFiguresRow | undefined, agent: string | null): AgentFigures => ({
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
    const known = await this.agents.existingNames(workspaceId, agents);
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
    const agents = await this.agents.liveNames(workspaceId, MAX_LAG_AGENTS);
    const lags = await Promise.all(
      agents.map((name) => this.backlog.of(workspaceId, name).catch(() => null)),
    );
    return new Map(agents.map((name, i) => [name, lags[i]]));
  }
}

function sumOrNull(values: (number | null)[]): number | null {
  if (values.some((v) => v === null)) return null;
  return values.reduce<number>((sum, v) => sum + (v ?? 0), 0);
}

function round(value: number | null): number | null {
  return value === null ? null : Math.round(value * 10) / 10;
}
