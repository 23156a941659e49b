import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

export interface SecurityAuditEntry {
  workspaceId: string;
  actor: string;
  action: string;
  resource: string;
  outcome: 'success' | 'denied' | 'failure';
  details?: Record<string, unknown>;
  correlationId: string;
}

/**
 * Records a change security-manager makes in the transaction that makes it:
 * a caller that hangs up early cannot leave a workspace purged or a key
 * issued without its line in the audit trail.
 */
export async function recordAudit(
  manager: EntityManager,
  entry: SecurityAuditEntry,
): Promise<void> {
  await manager.query(
    `INSERT INTO audit_log (message_id, workspace_id, actor, action, resource, outcome, details, correlation_id, time)
     VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, now())`,
    [
      randomUUID(),
      entry.workspaceId,
      entry.actor,
      entry.action,
      entry.resource,
      entry.outcome,
      JSON.stringify(entry.details ?? {}),
      entry.correlationId,
    ],
  );
}
