import { AgentTaskMessage, Topics, validateInto } from '@baton/contracts';
import { BatonKafka, MessageConsumer, PermanentError, type ConsumedMessage } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import { AgentChanges } from '../agent-model/agent-changes';
import { BRIDGED_RUNTIMES } from '../agent-model/agent-snapshot';
import { AgentsRepository } from '../agent-model/agents.repository';
import { AgentInstancesRepository } from '../instances/agent-instances.repository';
import { FinishTaskUseCase } from '../task-outcomes/finish-task.usecase';
import { TaskEntity } from '../task-model/task.entity';
import { TasksRepository } from '../task-model/tasks.repository';
import { BridgedTaskRunner } from './bridged-task.runner';
import { LlmCallsRepository } from './llm/llm-calls.repository';

const SYNC_MS = 2_000;
/** How agent-manager shows up among a bridged agent's instances. */
export const BRIDGE_INSTANCE_ID = `agent-manager-${hostname()}-${process.pid}`;

/**
 * Workflow steps reach every agent on its task topic. For the agents
 * agent-manager runs itself (rules, http, llm) it joins the agent's consumer
 * group, exactly where a worker would, records each task with a lease and
 * runs it; the result goes to baton.agent.results like a worker's. One
 * consumer per such agent, kept in step with the registry.
 */
@Injectable()
export class BridgeSupervisor implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly consumers = new Map<string, MessageConsumer>();
  private timer?: NodeJS.Timeout;
  private syncing?: Promise<void>;
  private again = false;
  private stopped = false;
  private unsubscribe?: () => void;
  private readonly leaseMs: number;

  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly agents: AgentsRepository,
    private readonly instances: AgentInstancesRepository,
    private readonly tasks: TasksRepository,
    private readonly runner: BridgedTaskRunner,
    private readonly finish: FinishTaskUseCase,
    private readonly llmCalls: LlmCallsRepository,
    changes: AgentChanges,
    env: AgentManagerEnv,
  ) {
    this.leaseMs = env.AGENT_TASK_LEASE_MS;
    this.unsubscribe = changes.subscribe(() => this.sync());
  }

  onApplicationBootstrap(): void {
    this.sync();
    this.timer = setInterval(() => this.sync(), SYNC_MS);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearInterval(this.timer);
    await this.syncing;
    await Promise.all([...this.consumers.values()].map((c) => c.stop()));
    this.consumers.clear();
  }

  /** Coalesces: a sync requested while one runs starts right after it. */
  sync(): void {
    if (this.stopped) return;
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = this.reconcile()
      .catch((error: Error) => this.logger.warn({ err: error }, 'bridge sync failed; will retry'))
      .finally(() => {
        this.syncing = undefined;
        if (this.again) {
          this.again = false;
          this.sync();
        }
      });
  }

  private async reconcile(): Promise<void> {
    const wanted = await this.agents.bridged(BRIDGED_RUNTIMES);
    const keys = new Set(wanted.map((a) => `${a.workspace_id}/${a.name}`));
    for (const [key, consumer] of this.consumers) {
      if (keys.has(key)) continue;
      this.consumers.delete(key);
      await consumer.stop();
      const [workspaceId, name] = key.split('/');
      await this.instances.remove(workspaceId, name, BRIDGE_INSTANCE_ID);
    }
    await Promise.all(
      wanted
        .filter((a) => !this.consumers.has(`${a.workspace_id}/${a.name}`) && !this.stopped)
        .map((a) => this.startConsumer(a.workspace_id, a.name)),
    );
    await this.beat();
  }

  /** agent-manager is the instance of the agents it runs: it beats for each joined consumer. */
  private async beat(): Promise<void> {
    const joined = [...this.consumers]
      .filter(([, consumer]) => consumer.isJoined)
      .map(([key]) => key);
    await this.instances.beatForBridge(
      BRIDGE_INSTANCE_ID,
      joined.map((key) => ({
        workspaceId: key.split('/')[0],
        agent: key.split('/')[1],
        inFlight: this.runner.inFlightFor(key),
      })),
    );
  }

  private async startConsumer(workspaceId: string, name: string): Promise<void> {
    const consumer = new MessageConsumer(this.kafka, {
      // The agent's own group: it continues where any earlier worker of the agent left off.
      groupId: `baton-agent-${workspaceId}-${name}`,
      topics: [Topics.agentTasks(workspaceId, name)],
      dlqTopic: Topics.dlq('agent-manager'),
      handle: (message) => this.accept(workspaceId, name, message),
    });
    this.consumers.set(`${workspaceId}/${name}`, consumer);
    try {
      await consumer.start();
    } catch (error) {
      this.consumers.delete(`${workspaceId}/${name}`);
      throw error;
    }
  }

  private async accept(workspaceId: string, name: string, message: ConsumedMessage): Promise<void> {
    let data: AgentTaskMessage;
    try {
      data = validateInto(AgentTaskMessage, message.envelope.data, 'task');
    } catch (error) {
      throw new PermanentError(`invalid task: ${(error as Error).message}`);
    }
    // Tasks agent-manager created itself are already recorded and running.
    if (message.envelope.source === 'agent-manager') return;
    const agent = await this.agents.find(workspaceId, name);
    if (!agent) return;
    const now = new Date();
    const deadline = data.deadline ? new Date(data.deadline) : null;
    const task = Object.assign(new TaskEntity(), {
      id: data.task_id,
      workspaceId,
      agent: name,
      agentVersion: agent.version,
      origin: 'workflow',
      executor: 'agent-manager',
      status: 'running',
      attempt: data.attempt,
      input: data.input ?? null,
      runId: data.run_id ?? null,
      step: data.step ?? null,
      deadline,
      leaseUntil: new Date(this.runner.deadlineFor({ deadline }).getTime() + this.leaseMs),
      idempotencyKey: null,
      callbackUrl: null,
      correlationId: message.envelope.correlationid,
      createdAt: now,
    });
    // Before the task can run: its model calls look for the replayed run's answers.
    if (data.replay_of && data.run_id) {
      await this.llmCalls.linkReplay(workspaceId, data.run_id, data.replay_of, data.refresh ?? []);
    }
    const recorded = await this.tasks.upsertWorkflowTask(task);
    if (!recorded) return; // a redelivery of a task already taken
    if (agent.status !== 'active') {
      await this.finish.execute(
        recorded,
        {
          status: 'failed',
          error: { type: 'system_error', message: `agent '${name}' is ${agent.status}` },
        },
        { publishResult: true },
      );
      return;
    }
    this.runner.launch(recorded);
  }
}
