import { randomUUID } from 'node:crypto';
import { AgentEntity } from '../../apps/agent-manager/src/agent-model/agent.entity';
import { TaskEntity } from '../../apps/agent-manager/src/task-model/task.entity';

/** A running task of `agent`, executed by agent-manager unless said otherwise. */
export function newTask(overrides: Partial<TaskEntity> = {}): TaskEntity {
  return Object.assign(new TaskEntity(), {
    id: randomUUID(),
    workspaceId: 'ws-a',
    agent: 'summarise',
    agentVersion: 1,
    origin: 'workflow',
    executor: 'agent-manager',
    status: 'running',
    attempt: 1,
    input: { text: 'hello' },
    runId: null,
    step: null,
    deadline: null,
    leaseUntil: new Date(Date.now() + 60_000),
    idempotencyKey: null,
    callbackUrl: null,
    correlationId: null,
    createdAt: new Date(),
    ...overrides,
  });
}

/** An active agent of workspace ws-a, version 1. */
export function newAgent(overrides: Partial<AgentEntity> = {}): AgentEntity {
  const now = new Date();
  return Object.assign(new AgentEntity(), {
    workspaceId: 'ws-a',
    name: 'summarise',
    type: 'summariser',
    runtime: 'worker',
    description: null,
    capabilities: [],
    minInstances: 0,
    maxInstances: 1,
    config: {},
    inputSchema: null,
    outputSchema: null,
    version: 1,
    status: 'active',
    createdAt: now,
    updatedAt: now,
    decommissionDeadline: null,
    ...overrides,
  });
}
