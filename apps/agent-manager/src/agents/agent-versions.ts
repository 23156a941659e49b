import {
  createEnvelope,
  Topics,
  type AgentChangedEvent,
  type AgentView,
  type Envelope,
} from '@baton/contracts';
import type { Transaction } from '@baton/database';
import type { AgentEntity } from '../agent-model/agent.entity';
import type { AgentSpec } from '../agent-model/agent-snapshot';
import type { AgentsRepository } from '../agent-model/agents.repository';
import { toAgentView } from './agent.view';

/** What made a new version: the audit action and the event the other services are told. */
export interface VersionChange {
  action: 'agent.register' | 'agent.update';
  type: string;
}

/**
 * Stores an agent's new version and, in the same transaction, audits it and
 * tells the other services (baton.agent.events), as registering and patching
 * both do. The agent row itself is the caller's to write.
 */
export async function saveAgentVersion(
  tx: Transaction,
  agents: AgentsRepository,
  agent: AgentEntity,
  spec: AgentSpec,
  change: VersionChange,
  request: Envelope,
): Promise<AgentView> {
  await agents.saveVersion(tx.manager, agent, spec);
  tx.audit(
    { action: change.action, target: `agent/${agent.name}`, details: { version: agent.version } },
    request,
  );
  const view = toAgentView(agent);
  tx.publish({
    topic: Topics.agentEvents,
    key: agent.name,
    envelope: createEnvelope<AgentChangedEvent>({
      type: change.type,
      source: 'agent-manager',
      subject: agent.name,
      workspaceId: agent.workspaceId,
      causedBy: request,
      data: { agent: view },
    }),
  });
  return view;
}
