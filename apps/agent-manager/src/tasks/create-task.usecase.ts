import {
  AgentTaskMessage,
  createEnvelope,
  DomainError,
  MessageTypes,
  Topics,
  type Envelope,
} from '@baton/contracts';
import { outboxMessages, UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import { randomUUID } from 'node:crypto';
import { AgentsRepository } from '../agent-model/agents.repository';
import { isBridged } from '../agent-model/agent-snapshot';
import { BridgedTaskRunner } from '../runtimes/bridged-task.runner';
import { CircuitBreakers } from '../runtimes/circuit-breakers';
import { JsonSchemas } from '../agent-model/json-schemas';
import { TaskEntity, type TaskOrigin } from '../task-model/task.entity';
import { TasksRepository } from '../task-model/tasks.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface NewTask {
  workspaceId: string;
  agent: string;
  input: unknown;
  origin: TaskOrigin;
  /** A stable id makes a redelivered request create nothing new. */
  id?: string;
  timeoutMs?: number;
  callbackUrl?: string;
  idempotencyKey?: string;
  cause?: Envelope;
}

/**
 * Records a task for an agent and hands it on in the same transaction: to the
 * agent's task topic for worker agents (outbox), or to agent-manager's own
 * runner for rules, http and llm agents (the task row holds the lease).
 */
@Injectable()
export class CreateTaskUseCase {
  private readonly leaseMs: number;

  constructor(
    private readonly agents: AgentsRepository,
    private readonly tasks: TasksRepository,
    private readonly uow: UnitOfWork,
    private readonly schemas: JsonSchemas,
    private readonly runner: BridgedTaskRunner,
    private readonly breakers: CircuitBreakers,
    env: AgentManagerEnv,
  ) {
    this.leaseMs = env.AGENT_TASK_LEASE_MS;
  }

  async execute(spec: NewTask): Promise<{ task: TaskEntity; created: boolean }> {
    const agent = await this.agents.find(spec.workspaceId, spec.agent);
    if (!agent || agent.status === 'decommissioned')
      throw DomainError.notFound('agent', spec.agent);
    if (agent.status !== 'active') {
      throw new DomainError(
        'AGENT.DECOMMISSIONED',
        `agent '${spec.agent}' is ${agent.status}: it accepts no new tasks`,
        [{ field: 'name', message: `agent is ${agent.status}` }],
      );
    }
    if (spec.idempotencyKey) {
      const existing = await this.tasks.findByIdempotencyKey(spec.workspaceId, spec.idempotencyKey);
      if (existing) return { task: existing, created: false };
    }
    this.breakers.assertClosed(spec.workspaceId, agent.name);
    this.schemas.checkInput(
      `${agent.workspaceId}/${agent.name}/${agent.version}`,
      agent.inputSchema,
      spec.input,
    );
    const now = new Date();
    const bridged = isBridged(agent.runtime);
    const deadline = spec.timeoutMs ? new Date(now.getTime() + spec.timeoutMs) : null;
    const task = Object.assign(new TaskEntity(), {
      id: spec.id && UUID.test(spec.id) ? spec.id : randomUUID(),
      workspaceId: spec.workspaceId,
      agent: agent.name,
      agentVersion: agent.version,
      origin: spec.origin,
      executor: bridged ? 'agent-manager' : 'worker',
      status: 'running',
      attempt: 1,
      input: spec.input ?? null,
      output: null,
      error: null,
      runId: null,
      step: null,
      deadline,
      leaseUntil: null as Date | null,
      idempotencyKey: spec.idempotencyKey ?? null,
      callbackUrl: spec.callbackUrl ?? null,
      callbackStatus: null,
      callbackAttempts: 0,
      callbackLastError: null,
      callbackLastAttemptAt: null,
      callbackNextAt: null,
      callbackDeliveredAt: null,
      correlationId: spec.cause?.correlationid ?? null,
      createdAt: now,
      finishedAt: null,
      durationMs: null,
    } satisfies TaskEntity);
    if (bridged) {
      task.leaseUntil = new Date(this.runner.deadlineFor(task).getTime() + this.leaseMs);
    }
    // One statement, no BEGIN/COMMIT: the task and its outbox row (audit, task message) together.
    const created = await this.uow.runAsOneStatement(async (tx) => {
      // A caller's submit or invoke (a workflow's own tasks are the run's, audited where it started).
      if (spec.cause?.principal)
        tx.audit(
          {
            action: `agent.${spec.origin}`,
            target: `task/${task.id}`,
            details: { agent: agent.name },
          },
          spec.cause,
        );
      if (!bridged) {
        tx.publish({
          topic: Topics.agentTasks(agent.workspaceId, agent.name),
          key: task.id,
          envelope: createEnvelope<AgentTaskMessage>({
            type: MessageTypes.agentTask,
            source: 'agent-manager',
            subject: task.id,
            workspaceId: agent.workspaceId,
            causedBy: spec.cause,
            data: {
              task_id: task.id,
              agent: agent.name,
              attempt: 1,
              input: task.input ?? undefined,
              ...(deadline ? { deadline: deadline.getTime() } : {}),
            },
          }),
        });
      }
      const messages = tx.unwrittenOutbox();
      const { inserted, outboxId } = await this.tasks.insertWithOutbox(
        tx.manager,
        task,
        messages.length > 0 ? outboxMessages(messages) : null,
      );
      if (!inserted) {
        // A redelivered request or a reused idempotency key: the first one's messages went out.
        tx.discardUnwritten();
        return false;
      }
      if (outboxId) tx.outboxWritten(outboxId, messages.length);
      return true;
    });
    if (!created) {
      const existing =
        (await this.tasks.find(task.id)) ??
        (spec.idempotencyKey
          ? await this.tasks.findByIdempotencyKey(spec.workspaceId, spec.idempotencyKey)
          : null);
      if (!existing || existing.workspaceId !== spec.workspaceId) {
        throw new DomainError(
          'TASK.CREATED_CONCURRENTLY',
          'the task was created concurrently; retry',
        );
      }
      return { task: existing, created: false };
    }
    if (bridged) this.runner.launch(task);
    return { task, created: true };
  }
}
