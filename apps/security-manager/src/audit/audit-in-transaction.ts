import { randomUUID } from 'node:crypto';
import { currentCommand } from '@baton/kafka';
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

export interface CommandAuditRecord {
  action: string;
  resource: string;
  outcome?: 'success' | 'denied' | 'failure';
  details?: Record<string, unknown>;
  /** Where the record goes; by default the workspace of the command being handled. */
  workspaceId?: string;
  /** Who acted; by default the principal of the command being handled. */
  actor?: string;
}

/**
 * recordAudit for the command being handled (currentCommand): its caller,
 * credential, workspace and correlation id, as the gateway stamped them on
 * the envelope, so a use case names only what it changed.
 */
export async function auditCommand(
  manager: EntityManager,
  record: CommandAuditRecord,
): Promise<void> {
  const command = currentCommand();
  const workspaceId = record.workspaceId ?? command?.workspaceid;
  if (!workspaceId) throw new Error(`audit of ${record.action} has no workspace`);
  await recordAudit(manager, {
    workspaceId,
    actor: record.actor ?? command?.principal ?? 'system:security-manager',
    action: record.action,
    resource: record.resource,
    outcome: record.outcome ?? 'success',
    details: record.details,
    correlationId: command?.correlationid ?? 'unknown',
    credential: command?.credential,
  });
}
