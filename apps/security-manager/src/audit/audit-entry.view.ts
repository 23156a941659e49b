import type { AuditEntryView } from '@baton/contracts';
import type { AuditRow } from './audit.repository';

export function toAuditEntryView(row: AuditRow): AuditEntryView {
  return {
    id: row.message_id,
    seq: Number(row.seq),
    source: row.source,
    actor: row.actor,
    credential: row.credential,
    action: row.action,
    resource: row.resource,
    outcome: row.outcome,
    details: row.details,
    correlation_id: row.correlation_id,
    time: new Date(row.time).toISOString(),
  };
}

/** The cursor position of a row: its exact time and id. */
export function auditPosition(row: AuditRow): string {
  return `${row.time_key}|${row.message_id}`;
}

export function parseAuditPosition(
  position: string | undefined,
): { time: string; messageId: string } | undefined {
  if (position === undefined) return undefined;
  const separator = position.indexOf('|');
  if (separator <= 0) return undefined;
  return { time: position.slice(0, separator), messageId: position.slice(separator + 1) };
}
