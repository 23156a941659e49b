import type { WorkspaceTable } from '@baton/database';

/**
 * Every table of workflow-engine's schema that holds a workspace's rows, children
 * before parents. A table added to the schema belongs here too (the purge
 * e2e test fails for a table whose rows outlive the purge).
 */
export const WORKSPACE_TABLES: readonly WorkspaceTable[] = [
  {
    table: 'step_executions',
    where: 't.run_id IN (SELECT r.id FROM runs r WHERE r.workspace_id = $1)',
  },
  {
    table: 'timers',
    where: 't.run_id IN (SELECT r.id FROM runs r WHERE r.workspace_id = $1)',
  },
  {
    table: 'held_results',
    where: 't.run_id IN (SELECT r.id FROM runs r WHERE r.workspace_id = $1)',
  },
  {
    table: 'held_timers',
    where: 't.run_id IN (SELECT r.id FROM runs r WHERE r.workspace_id = $1)',
  },
  { table: 'waits' },
  { table: 'early_events' },
  { table: 'awaited_event_types' },
  { table: 'workflow_triggers' },
  { table: 'runs' },
  { table: 'known_agents' },
  { table: 'workspace_admission' },
  { table: 'workflow_versions' },
  { table: 'workflows' },
];
