import type { AgentView } from '@baton/contracts';
import type { AgentViewRow } from '../agent-model/agent-view-row';

export function toAgentView(agent: AgentViewRow): AgentView {
  return {
    name: agent.name,
    type: agent.type,
    runtime: agent.runtime,
    description: agent.description,
    capabilities: agent.capabilities,
    input_schema: agent.inputSchema ?? null,
    min_instances: agent.minInstances,
    max_instances: agent.maxInstances,
    version: agent.version,
    status: agent.status,
    created_at: agent.createdAt.toISOString(),
    updated_at: agent.updatedAt.toISOString(),
  };
}
