import type { WorkspaceTable } from '@baton/database';

/**
 * Every table of integration-manager's schema that holds a workspace's rows, children
 * before parents. A table added to the schema belongs here too (the purge
 * e2e test fails for a table whose rows outlive the purge).
 */
export const WORKSPACE_TABLES: readonly WorkspaceTable[] = [
  { table: 'deliveries' },
  { table: 'connection_calls' },
  { table: 'connection_breakers' },
  { table: 'connections' },
];
