import {
  AgentTaskMessage,
  createEnvelope,
  Headers,
  MessageTypes,
  resultTopicFor,
  Topics,
  validateInto,
  type HeartbeatMessage,
  type TaskResultMessage,
} from '@baton/contracts';
import {
  BatonKafka,
  currentTraceparent,
  headerString,
  kafkaSecurityFromEnv,
  type KafkaSecurity,
  MessageConsumer,
  PermanentError,
  Slots,
  type ConsumedMessage,
} from '@baton/kafka';
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { TaskContext } from './task-context';
import { traceTaskHandler } from './worker-tracing';

export type TaskErrorType = 'timeout' | 'validation_error' | 'system_error';

/** Throw this from a handler to fail the task with a specific error type. */
export class TaskError extends Error {
  constructor(
    readonly type: TaskErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'TaskError';
  }
}

export type TaskHandler = (input: unknown, context: TaskContext) => Promise<unknown> | unknown;

export interface AgentWorkerOptions {
  agent: string;
  handler: TaskHandler;
  /** The workspace the agent is registered in. */
  workspaceId?: string;
  /** Kafka bootstrap servers; defaults to KAFKA_BROKERS or the local development broker. */
  brokers?: string[];
  /**
   * TLS and SASL for Kafka (kafkaSecurityFrom); defaults to the KAFKA_TLS* and
   * KAFKA_SASL_* variables, and to none when those are unset. A secured cluster
   * gives each workspace's workers a principal that may read only that
   * workspace's task topics (README, "Kafka security").
   */
  security?: KafkaSecurity;
  instanceId?: string;
  heartbeatIntervalMs?: number;
  version?: string;
  /**
   * How many tasks this instance works on at once (default 1). Tasks are
   * independent (keyed by task id), so they need not wait for the one before
   * them on their partition; results of tasks that finish together leave in
   * one Kafka request.
   */
  concurrency?: number;
  /**
   * The lease on the tasks this instance takes (default 30 s): the Kafka group
   * session of the worker, renewed each time a task finishes. A worker that
   * stops (killed, frozen, partitioned, or stuck in one handler for longer)
   * loses it, and Kafka hands its uncommitted tasks to another instance. So it
   * is also the longest one task may take. See ADR 0008.
   */
  taskLeaseMs?: number;
  /** How long start() waits for the agent to be registered. */
  registrationTimeoutMs?: number;
  /**
   * How often finished tasks' offsets are committed (default 250 ms). After a
   * crash or a rebalance, tasks finished since the last commit are delivered
   * again, with the same `messageId`: Baton records a repeated result once, but
   * the handler runs again unless it checks. Shorter costs a broker round trip
   * per commit.
   */
  commitIntervalMs?: number;
}

const DEFAULT_TASK_LEASE_MS = 30_000;
const DEFAULT_COMMIT_INTERVAL_MS = 250;

/**
 * Serves an agent from any Node process: consumes baton.agent.tasks.<agent> as
 * one consumer group per agent (so instances share the work), answers on the
 * result topic the task names (the workflow engine's tasks name
 * baton.workflow.results; others, baton.agent.results) and beats on
 * baton.agent.heartbeats. A task's offset is
 * committed only after its result is sent, so a worker killed mid-task leaves
 * the task to another instance (see commitIntervalMs for what is redelivered).
 */
export class AgentWorker {
  readonly instanceId: string;
  readonly workspaceId: string;
  private readonly kafka: BatonKafka;
  private readonly consumer: MessageConsumer;
  private heartbeat?: NodeJS.Timeout;
  /** Tasks whose handler is running, by task id: reported with every heartbeat. */
  private readonly held = new Map<string, { attempt: number; since: string }>();
  private readonly leaseMs: number;
  private readonly slots: Slots;

  constructor(private readonly options: AgentWorkerOptions) {
    this.workspaceId = options.workspaceId ?? 'default';
    this.instanceId =
      options.instanceId ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.leaseMs = options.taskLeaseMs ?? DEFAULT_TASK_LEASE_MS;
    this.slots = new Slots(options.concurrency ?? 1);
    const brokers = options.brokers ?? (process.env.KAFKA_BROKERS ?? '127.0.0.1:19092').split(',');
    this.kafka = new BatonKafka({
      brokers,
      clientId: `baton-agent-${options.agent}`,
      security: options.security ?? kafkaSecurityFromEnv(),
    });
    this.consumer = new MessageConsumer(this.kafka, {
      groupId: `baton-agent-${this.workspaceId}-${options.agent}`,
      topics: [Topics.agentTasks(this.workspaceId, options.agent)],
      dlqTopic: Topics.dlq('agents'),
      sessionTimeoutMs: this.leaseMs,
      commitIntervalMs: options.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS,
      // Partitions side by side, and within a partition up to `concurrency` tasks at once;
      // `slots` caps the total, so no more than `concurrency` handlers ever run.
      partitionsConsumedConcurrently: options.concurrency ?? 1,
      keyConcurrency: options.concurrency ?? 1,
      // A handler error is an answer (a failed task), so the consumer retries only transport failures.
      maxAttempts: 5,
      // A task runs as long as the agent's handler needs (the engine's step timeout and
      // the lease bound it); abandoning it would run the same task twice at once.
      handlerTimeoutMs: 0,
      handle: (message) => this.slots.run(() => this.serve(message)),
    });
  }

  get isJoined(): boolean {
    return this.consumer.isJoined;
  }

  async start(): Promise<void> {
    await this.kafka.connect();
    await this.waitForRegistration();
    await this.consumer.start();
    await this.beat();
    this.heartbeat = setInterval(
      () => void this.beat().catch(() => undefined),
      this.options.heartbeatIntervalMs ?? 5_000,
    );
    this.heartbeat.unref();
  }

  /** Waits for the task in progress, then leaves the group so its partitions move on. */
  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.consumer.stop();
    await this.kafka.disconnect();
  }

  /** agent-manager creates the task topic on registration; a worker may start before that. */
  private async waitForRegistration(): Promise<void> {
    const topic = Topics.agentTasks(this.workspaceId, this.options.agent);
    const deadline = Date.now() + (this.options.registrationTimeoutMs ?? 60_000);
    while (!(await this.kafka.topicExists(topic))) {
      if (Date.now() > deadline) {
        throw new Error(
          `agent '${this.options.agent}' is not registered in workspace '${this.workspaceId}' (no topic ${topic})`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  private async serve(message: ConsumedMessage): Promise<void> {
    let task: AgentTaskMessage;
    try {
      task = validateInto(AgentTaskMessage, message.envelope.data, 'task');
    } catch (error) {
      throw new PermanentError(`invalid task: ${(error as Error).message}`);
    }
    const context: TaskContext = {
      taskId: task.task_id,
      messageId: message.envelope.id,
      attempt: task.attempt,
      runId: task.run_id,
      step: task.step,
      workspaceId: message.envelope.workspaceid,
      correlationId: message.envelope.correlationid,
    };
    const started = Date.now();
    this.held.set(task.task_id, { attempt: task.attempt, since: new Date(started).toISOString() });
    let result: TaskResultMessage;
    try {
      const output = await traceTaskHandler(this.options.agent, context, () =>
        this.options.handler(task.input, context),
      );
      result = {
        task_id: task.task_id,
        attempt: task.attempt,
        status: 'completed',
        output: output ?? null,
      };
    } catch (error) {
      const type = error instanceof TaskError ? error.type : 'system_error';
      result = {
        task_id: task.task_id,
        attempt: task.attempt,
        status: 'failed',
        error: { type, message: (error as Error).message ?? String(error) },
      };
    } finally {
      this.held.delete(task.task_id);
    }
    if (task.run_id) result.run_id = task.run_id;
    result.instance_id = this.instanceId;
    result.duration_ms = Date.now() - started;
    await this.reply(message, task, result);
  }

  private async reply(
    consumed: ConsumedMessage,
    message: AgentTaskMessage,
    result: TaskResultMessage,
  ): Promise<void> {
    const task = consumed.envelope;
    const envelope = createEnvelope<TaskResultMessage>({
      type: MessageTypes.agentResult,
      source: `agent/${this.options.agent}`,
      subject: message.run_id ?? message.task_id,
      workspaceId: task.workspaceid,
      causedBy: task,
      // The result continues the task's trace: from the worker's span when the process
      // traces, else from the task's own traceparent (workers need no tracing SDK).
      traceparent: currentTraceparent() ?? task.traceparent,
      data: result,
    });
    await this.kafka.publish([
      {
        // The topic the task asks for (the engine's own), else baton.agent.results.
        topic: resultTopicFor(headerString(consumed.headers, Headers.replyTo)),
        key: message.run_id ?? message.task_id,
        envelope,
      },
    ]);
  }

  private async beat(): Promise<void> {
    const envelope = createEnvelope<HeartbeatMessage>({
      type: MessageTypes.agentHeartbeat,
      source: `agent/${this.options.agent}`,
      subject: this.options.agent,
      workspaceId: this.workspaceId,
      data: {
        agent: this.options.agent,
        instance_id: this.instanceId,
        in_flight: this.held.size,
        tasks: [...this.held].map(([task_id, held]) => ({ task_id, ...held })),
        lease_ms: this.leaseMs,
        ...(this.options.version ? { version: this.options.version } : {}),
      },
    });
    await this.kafka.publish([
      { topic: Topics.agentHeartbeats, key: this.options.agent, envelope },
    ]);
  }
}
