import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { appendAuditEntries } from './audit.repository';

export interface SecurityAuditEntry {
  workspaceId: string;
  actor: string;
  action: string;
  resource: string;
  outcome: 'success' | 'denied' | 'failure';
  details?: Record<string, unknown>;
  correlationId: string;
  /** `<kind>:<id>` of the credential that made the change, when there is one. */
  credential?: string;
}

/**
 * Records a change security-manager makes in the transaction that makes it,
 * appended to the workspace's hash chain like every other record: a caller
 * that hangs up early cannot leave a workspace purged or a key issued without
 * its line in the audit trail.
 */
export async function recordAudit(
  manager: EntityManager,
  entry: SecurityAuditEntry,
): Promise<void> {
  await appendAuditEntries(manager, [
    {
      messageId: randomUUID(),
      workspaceId: entry.workspaceId,
      source: 'security-manager',
      actor: entry.actor,
      credential: entry.credential ?? null,
      action: entry.action,
      resource: entry.resource,
      outcome: entry.outcome,
      details: entry.details ?? {},
      correlationId: entry.correlationId,
      time: new Date().toISOString(),
    },
  ]);
}
