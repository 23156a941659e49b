import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

/** A task whose result is due at its callback_url, as claimed (columns of `tasks`). */
export interface DueCallbackRow {
  id: string;
  agent: string;
  status: string;
  output: unknown;
  error: { type: string; message: string } | null;
  finished_at: Date | null;
  duration_ms: number | null;
  attempt: number;
  callback_url: string;
  callback_attempts: number;
  workspace_id: string;
}

/**
 * The callback columns of `tasks`: the schedule of fire-and-forget result
 * deliveries (callback_status, callback_next_at, attempts, last error).
 */
@Injectable()
export class TaskCallbacksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Claims up to `batch` due callbacks: moves their next time `claimMs` ahead so
   * no other poller takes them meanwhile (SKIP LOCKED: concurrent claims take
   * different rows).
   */
  async claimDue(claimMs: number, batch: number): Promise<DueCallbackRow[]> {
    const [rows] = (await this.dataSource.query(
      `UPDATE tasks SET callback_next_at = now() + ($1 || ' milliseconds')::interval
       WHERE id IN (
         SELECT id FROM tasks
         WHERE callback_status IN ('pending', 'retrying') AND callback_next_at <= now()
         ORDER BY callback_next_at LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING id, agent, status, output, error, finished_at, duration_ms, attempt,
                 callback_url, callback_attempts, workspace_id`,
      [String(claimMs), batch],
    )) as [DueCallbackRow[], number];
    return rows;
  }

  async markDelivered(id: string, attempt: number): Promise<void> {
    await this.dataSource.query(
      `UPDATE tasks SET callback_status = 'delivered', callback_attempts = $2,
         callback_last_attempt_at = now(), callback_delivered_at = now(), callback_next_at = NULL
       WHERE id = $1`,
      [id, attempt],
    );
  }

  /** A failed attempt: `retrying` again after `delayMs`, or `failed` for good (no next time). */
  async markFailed(
    id: string,
    attempt: number,
    status: 'retrying' | 'failed',
    failure: string,
    delayMs: number,
  ): Promise<void> {
    await this.dataSource.query(
      `UPDATE tasks SET callback_status = $3, callback_attempts = $2, callback_last_error = $4,
         callback_last_attempt_at = now(),
         callback_next_at = CASE WHEN $3 = 'failed' THEN NULL
                                 ELSE now() + ($5 || ' milliseconds')::interval END
       WHERE id = $1`,
      [id, attempt, status, failure, String(delayMs)],
    );
  }
}
