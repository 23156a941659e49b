import type { AgentEntity } from './agent.entity';

/** The columns a view needs: what the agent list reads (AgentsRepository.list). */
export type AgentViewRow = Pick<
  AgentEntity,
  | 'name'
  | 'type'
  | 'runtime'
  | 'description'
  | 'capabilities'
  | 'inputSchema'
  | 'minInstances'
  | 'maxInstances'
  | 'version'
  | 'status'
  | 'createdAt'
  | 'updatedAt'
>;
