import type { NotificationView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';

export interface NewNotification {
  workspaceId: string;
  channel: string;
  /** Unique per workspace: a second enqueue with the same key is ignored. */
  dedupKey: string;
  historyId: string | null;
  payload: NotificationPayload;
  /** `silenced` rows are recorded (history shows them) but never sent. */
  silenced?: boolean;
}

/** What a channel is told: one message per rule transition (or handler call), grouped per rule. */
export interface NotificationPayload {
  kind: 'alert' | 'admin';
  title: string;
  severity: string;
  /** firing, resolved (alerts) or notify-admin (the workflow handler). */
  state: string;
  rule?: string;
  condition?: string;
  values?: Record<string, number | null>;
  scope?: Record<string, string> | null;
  description?: string | null;
  run_id?: string | null;
  step?: string | null;
  error?: { type: string; message: string } | null;
  workspace: string;
  at: string;
}

export interface ClaimedNotification {
  id: string;
  workspace_id: string;
  channel: string;
  payload: NotificationPayload;
  attempts: number;
}

@Injectable()
export class NotificationsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async enqueue(manager: EntityManager, rows: NewNotification[]): Promise<number> {
    if (rows.length === 0) return 0;
    const inserted = (await manager.query(
      `INSERT INTO notifications (workspace_id, channel, dedup_key, history_id, payload, status)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[], $5::jsonb[], $6::text[])
       ON CONFLICT (workspace_id, dedup_key) DO NOTHING RETURNING id`,
      [
        rows.map((r) => r.workspaceId),
        rows.map((r) => r.channel),
        rows.map((r) => r.dedupKey),
        rows.map((r) => r.historyId),
        rows.map((r) => JSON.stringify(r.payload)),
        rows.map((r) => (r.silenced ? 'silenced' : 'pending')),
      ],
    )) as unknown[];
    return inserted.length;
  }

  /** Leases due notifications; SKIP LOCKED lets several replicas send without sending one twice. */
  async claim(max: number, leaseMs: number): Promise<ClaimedNotification[]> {
    // UPDATE ... RETURNING comes back from TypeORM as [rows, affected].
    const [rows] = (await this.dataSource.query(
      `UPDATE notifications SET locked_until = now() + $2 * interval '1 millisecond'
        WHERE id IN (SELECT id FROM notifications
                      WHERE status = 'pending' AND next_attempt_at <= now()
                        AND (locked_until IS NULL OR locked_until < now())
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
        RETURNING id::text AS id, workspace_id, channel, payload, attempts`,
      [max, leaseMs],
    )) as [ClaimedNotification[], number];
    return rows;
  }

  async sent(id: string): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET status = 'sent', attempts = attempts + 1, sent_at = now(),
              locked_until = NULL, last_error = NULL WHERE id = $1`,
      [id],
    );
  }

  /** A failed attempt: retried after `delayMs`, or dead (kept, visible) when `dead`. */
  async failed(id: string, error: string, delayMs: number, dead: boolean): Promise<void> {
    await this.dataSource.query(
      `UPDATE notifications SET attempts = attempts + 1, last_error = $2, locked_until = NULL,
              status = CASE WHEN $4 THEN 'dead' ELSE status END,
              next_attempt_at = now() + $3 * interval '1 millisecond'
        WHERE id = $1`,
      [id, error.slice(0, 1_000), delayMs, dead],
    );
  }

  async ofHistory(historyIds: string[]): Promise<Map<string, NotificationView[]>> {
    const byHistory = new Map<string, NotificationView[]>();
    if (historyIds.length === 0) return byHistory;
    const rows = (await this.dataSource.query(
      `SELECT id::text AS id, history_id::text AS history_id, channel, status, attempts, last_error,
              created_at, sent_at
         FROM notifications WHERE history_id = ANY($1::bigint[]) ORDER BY notifications.id`,
      [historyIds],
    )) as {
      id: string;
      history_id: string;
      channel: string;
      status: NotificationView['status'];
      attempts: number;
      last_error: string | null;
      created_at: Date;
      sent_at: Date | null;
    }[];
    for (const row of rows) {
      const list = byHistory.get(row.history_id) ?? [];
      list.push({
        id: row.id,
        channel: row.channel,
        status: row.status,
        attempts: row.attempts,
        last_error: row.last_error,
        created_at: row.created_at.toISOString(),
        sent_at: row.sent_at?.toISOString() ?? null,
      });
      byHistory.set(row.history_id, list);
    }
    return byHistory;
  }
}
