import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

export interface NewAuditEntry {
  messageId: string;
  workspaceId: string;
  actor: string;
  action: string;
  resource: string;
  outcome: string;
  details: Record<string, unknown>;
  correlationId: string;
  time: string;
}

export interface AuditRow {
  message_id: string;
  actor: string;
  action: string;
  resource: string;
  outcome: string;
  details: Record<string, unknown>;
  correlation_id: string;
  time: Date;
  /** `time` in Postgres' own text form: exact to the microsecond, so cursors never skip a row. */
  time_key: string;
}

export interface AuditFilter {
  action?: string;
  before?: { time: string; messageId: string };
  limit: number;
}

@Injectable()
export class AuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** One statement for the whole batch; a redelivered entry is a no-op. */
  async insertMany(entries: NewAuditEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.dataSource.query(
      `INSERT INTO audit_log (message_id, workspace_id, actor, action, resource, outcome, details, correlation_id, time)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                            $7::jsonb[], $8::text[], $9::timestamptz[])
       ON CONFLICT (message_id) DO NOTHING`,
      [
        entries.map((e) => e.messageId),
        entries.map((e) => e.workspaceId),
        entries.map((e) => e.actor),
        entries.map((e) => e.action),
        entries.map((e) => e.resource),
        entries.map((e) => e.outcome),
        entries.map((e) => JSON.stringify(e.details)),
        entries.map((e) => e.correlationId),
        entries.map((e) => e.time),
      ],
    );
  }

  /** Newest first; ties on time are broken by message id so the order is total. */
  list(workspaceId: string, filter: AuditFilter): Promise<AuditRow[]> {
    const params: unknown[] = [workspaceId];
    const where = ['workspace_id = $1'];
    if (filter.action) {
      params.push(filter.action);
      where.push(`action = $${params.length}`);
    }
    if (filter.before) {
      params.push(filter.before.time, filter.before.messageId);
      where.push(`(time, message_id) < ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    params.push(filter.limit);
    return this.dataSource.query(
      `SELECT message_id, actor, action, resource, outcome, details, correlation_id, time, time::text AS time_key
       FROM audit_log WHERE ${where.join(' AND ')}
       ORDER BY time DESC, message_id DESC
       LIMIT $${params.length}`,
      params,
    ) as Promise<AuditRow[]>;
  }
}
