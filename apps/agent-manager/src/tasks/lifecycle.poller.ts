import { Poller, UnitOfWork } from '@baton/database';
import { BatonKafka } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import type { Logger } from 'pino';
import type { AgentEntity } from '../agent-model/agent.entity';
import { AgentChanges } from '../agent-model/agent-changes';
import { AgentsRepository } from '../agent-model/agents.repository';
import { publishStatus } from '../agents/decommission-agent.usecase';
import { AgentInstancesRepository } from '../instances/agent-instances.repository';
import { BridgedTaskRunner } from '../runtimes/bridged-task.runner';
import { AgentStatsRepository } from '../stats/agent-stats.repository';
import { FinishTaskUseCase } from '../task-outcomes/finish-task.usecase';
import { PRUNE_BATCH, TasksRepository } from '../task-model/tasks.repository';

const POLL_MS = 1_000;
const RESULTS_KEPT_MS = 7 * 24 * 3600 * 1000;

/**
 * The durable housekeeping of agent-manager, every second: re-runs tasks whose
 * lease expired (their replica died), finishes decommissioning agents whose
 * in-flight work is done or whose grace period is over, and prunes old stats
 * and the finished tasks past AGENT_TASK_RETENTION_MS.
 */
@Injectable()
export class LifecyclePoller extends Poller {
  private readonly taskRetentionMs: number;
  private readonly pruneIntervalMs: number;
  private readonly leaseMs: number;
  private readonly heartbeatTtlMs: number;
  private lastPrune = 0;

  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly tasks: TasksRepository,
    private readonly agents: AgentsRepository,
    private readonly instances: AgentInstancesRepository,
    private readonly results: AgentStatsRepository,
    private readonly runner: BridgedTaskRunner,
    private readonly finish: FinishTaskUseCase,
    private readonly uow: UnitOfWork,
    private readonly changes: AgentChanges,
    env: AgentManagerEnv,
  ) {
    super({
      round: () => this.round(),
      intervalMs: POLL_MS,
      onError: (err) => logger.warn({ err }, 'agent lifecycle round failed; will retry'),
    });
    this.leaseMs = env.AGENT_TASK_LEASE_MS;
    this.heartbeatTtlMs = env.AGENT_HEARTBEAT_TTL_MS;
    this.taskRetentionMs = env.AGENT_TASK_RETENTION_MS;
    this.pruneIntervalMs = env.AGENT_PRUNE_INTERVAL_MS;
  }

  /** Each job on its own: one failing does not hold up the others. */
  private async round(): Promise<void> {
    for (const job of [
      () => this.recoverLeases(),
      () => this.sweepDecommissions(),
      () => this.prune(),
    ]) {
      try {
        await job();
      } catch (error) {
        this.logger.warn({ err: error }, 'agent lifecycle step failed; will retry');
      }
    }
  }

  private async recoverLeases(): Promise<void> {
    for (const task of await this.tasks.claimExpiredLeases(this.leaseMs)) {
      this.logger.info(
        { task_id: task.id, agent: task.agent },
        'task lease expired; running it again',
      );
      this.runner.launch(task);
    }
  }

  private async sweepDecommissions(): Promise<void> {
    const draining = await this.agents.decommissioning();
    for (const agent of draining) {
      const overdue = (agent.decommissionDeadline?.getTime() ?? 0) <= Date.now();
      // Running tasks agent-manager knows of, plus what live instances report in flight.
      const busy = async () =>
        (await this.instances.inFlight(agent.workspaceId, agent.name, this.heartbeatTtlMs)) > 0;
      if (!overdue && (await busy())) continue;
      if (overdue) await this.failLeftovers(agent);
      const done = await this.uow.run(async (tx) => {
        const locked = await this.agents.findForUpdate(tx.manager, agent.workspaceId, agent.name);
        if (!locked || locked.status !== 'decommissioning') return false;
        locked.status = 'decommissioned';
        locked.updatedAt = new Date();
        await tx.manager.save(locked);
        publishStatus(tx, locked);
        return true;
      });
      if (!done) continue;
      this.changes.emit();
      await this.deleteGroup(agent);
      this.logger.info(
        { agent: agent.name, workspace_id: agent.workspaceId },
        'agent decommissioned',
      );
    }
  }

  private async failLeftovers(agent: AgentEntity): Promise<void> {
    const leftovers = await this.tasks.running(agent.workspaceId, agent.name);
    for (const task of leftovers) {
      await this.finish.execute(
        task,
        {
          status: 'failed',
          error: {
            type: 'system_error',
            message: `agent '${agent.name}' was decommissioned before the task finished`,
          },
        },
        { publishResult: task.executor === 'agent-manager' },
      );
    }
  }

  /** The agent's consumer group goes with it; it fails harmlessly while a worker is still a member. */
  private async deleteGroup(agent: AgentEntity): Promise<void> {
    const admin = this.kafka.kafka.admin();
    try {
      await admin.connect();
      await admin.deleteGroups([`baton-agent-${agent.workspaceId}-${agent.name}`]);
    } catch (error) {
      this.logger.info(
        { agent: agent.name, reason: (error as Error).message },
        'consumer group of a decommissioned agent not deleted',
      );
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
  }

  private async prune(): Promise<void> {
    if (Date.now() - this.lastPrune < this.pruneIntervalMs) return;
    this.lastPrune = Date.now();
    await this.results.pruneOlderThan(RESULTS_KEPT_MS);
    // Finished tasks whose callback is settled, in batches so no delete holds locks for long.
    for (;;) {
      const deleted = await this.tasks.pruneFinished(this.taskRetentionMs);
      if (deleted > 0) this.logger.info({ deleted }, 'pruned finished tasks past their retention');
      if (deleted < PRUNE_BATCH) return;
    }
  }
}
