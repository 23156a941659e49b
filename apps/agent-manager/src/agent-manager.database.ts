import type { DatabaseOptions } from '@baton/database';
import { AgentEntity, AgentVersionEntity } from './agents/agent.entity';
import { AgentInstanceEntity } from './instances/agent-instance.entity';
import { AgentRegistry1732435200001 } from './migrations/1732435200001-agent-registry';

/** The schema this service owns, its entities and migrations (also read by `npm run migrate`). */
export const DATABASE: DatabaseOptions = {
  schema: 'agent_manager',
  entities: [AgentEntity, AgentVersionEntity, AgentInstanceEntity],
  migrations: [AgentRegistry1732435200001],
};
