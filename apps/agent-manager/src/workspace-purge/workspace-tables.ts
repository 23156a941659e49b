import type { WorkspaceTable } from '@baton/database';

/**
 * Every table of agent-manager's schema that holds a workspace's rows, children
 * before parents. A table added to the schema belongs here too (the purge
 * e2e test fails for a table whose rows outlive the purge).
 */
export const WORKSPACE_TABLES: readonly WorkspaceTable[] = [
  { table: 'llm_calls' },
  { table: 'llm_tool_calls' },
  { table: 'llm_budgets' },
  { table: 'llm_replays' },
  { table: 'tasks' },
  { table: 'agent_results' },
  { table: 'agent_instances' },
  { table: 'agent_deployments' },
  { table: 'agent_versions' },
  { table: 'agents' },
];
