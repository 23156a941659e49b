import type { WorkspaceTable } from '@baton/database';

/**
 * Every table of event-manager's schema that holds a workspace's rows, children
 * before parents. A table added to the schema belongs here too (the purge
 * e2e test fails for a table whose rows outlive the purge).
 */
export const WORKSPACE_TABLES: readonly WorkspaceTable[] = [
  { table: 'notifications' },
  { table: 'alert_history' },
  { table: 'alert_rules' },
  { table: 'notification_channels' },
  { table: 'incidents' },
  { table: 'deliveries' },
  { table: 'replays' },
  { table: 'routes' },
  { table: 'subscriptions' },
  { table: 'transforms' },
  { table: 'retention_policies' },
  { table: 'events' },
  { table: 'log_records' },
  { table: 'dead_letters' },
];
