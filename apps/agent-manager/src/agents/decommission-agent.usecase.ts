import {
  AgentTaskMessageTypes,
  createEnvelope,
  DomainError,
  Topics,
  type AgentStatusChangedEvent,
  type AgentView,
  type Envelope,
} from '@baton/contracts';
import { UnitOfWork, type Transaction } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../agent-manager.env';
import type { AgentEntity } from '../agent-model/agent.entity';
import { AgentChanges } from '../agent-model/agent-changes';
import { toAgentView } from './agent.view';
import { AgentsRepository } from '../agent-model/agents.repository';

/**
 * `DELETE /v1/agents/{name}` starts draining: the agent takes no new tasks
 * (invoke and submit answer 409), in-flight ones may finish until the grace
 * period ends, then the decommission sweeper marks it `decommissioned`. The
 * agent, its versions and its tasks stay readable.
 */
@Injectable()
export class DecommissionAgentUseCase {
  private readonly graceMs: number;

  constructor(
    private readonly agents: AgentsRepository,
    private readonly uow: UnitOfWork,
    private readonly changes: AgentChanges,
    env: AgentManagerEnv,
  ) {
    this.graceMs = env.AGENT_DECOMMISSION_GRACE_MS;
  }

  async execute(name: string, request: Envelope): Promise<AgentView> {
    const view = await this.uow.run(async (tx) => {
      const agent = await this.agents.findForUpdate(tx.manager, request.workspaceid, name);
      if (!agent) throw DomainError.notFound('agent', name);
      if (agent.status !== 'active') return toAgentView(agent);
      agent.status = 'decommissioning';
      agent.decommissionDeadline = new Date(Date.now() + this.graceMs);
      agent.updatedAt = new Date();
      await tx.manager.save(agent);
      tx.audit({ action: 'agent.decommission', target: `agent/${agent.name}` }, request);
      publishStatus(tx, agent, request);
      return toAgentView(agent);
    });
    this.changes.emit();
    return view;
  }
}

export function publishStatus(tx: Transaction, agent: AgentEntity, cause?: Envelope): void {
  tx.publish({
    topic: Topics.agentEvents,
    key: agent.name,
    envelope: createEnvelope<AgentStatusChangedEvent>({
      type: AgentTaskMessageTypes.statusChanged,
      source: 'agent-manager',
      subject: agent.name,
      workspaceId: agent.workspaceId,
      causedBy: cause,
      data: { name: agent.name, status: agent.status, version: agent.version },
    }),
  });
}
