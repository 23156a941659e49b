import { insertEntity } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { MoreThan, type DataSource, type EntityManager } from 'typeorm';
import { replayFilterSql } from './replay-filter';
import { ReplayEntity } from './replay.entity';

/** One stored event, as a replay reads it: the envelope as its JSON text. */
export interface ReplayedEvent {
  seq: string;
  id: string;
  type: string;
  source: string;
  subject: string | null;
  envelope: string;
}

@Injectable()
export class ReplaysRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  insert(replay: ReplayEntity, manager: EntityManager = this.dataSource.manager): Promise<void> {
    return insertEntity(manager, ReplayEntity, replay);
  }

  find(workspaceId: string, id: string): Promise<ReplayEntity | null> {
    return this.dataSource.manager.findOneBy(ReplayEntity, { workspaceId, id });
  }

  findByIdempotencyKey(workspaceId: string, key: string): Promise<ReplayEntity | null> {
    return this.dataSource.manager.findOneBy(ReplayEntity, { workspaceId, idempotencyKey: key });
  }

  list(workspaceId: string, after: string | undefined, limit: number): Promise<ReplayEntity[]> {
    return this.dataSource.manager.find(ReplayEntity, {
      where: { workspaceId, ...(after ? { id: MoreThan(after) } : {}) },
      order: { id: 'ASC' },
      take: limit,
    });
  }

  async lastSeq(workspaceId: string): Promise<string> {
    const [row] = (await this.dataSource.query(
      `SELECT coalesce(max(seq), 0)::text AS seq FROM events WHERE workspace_id = $1`,
      [workspaceId],
    )) as { seq: string }[];
    return row.seq;
  }

  /** Leases the oldest running replay nobody works on; a crashed worker's lease runs out. */
  async claim(leaseMs: number): Promise<ReplayEntity | null> {
    const rows = (await this.dataSource.query(
      `UPDATE replays SET locked_until = now() + $1 * interval '1 millisecond'
        WHERE id = (SELECT id FROM replays
                     WHERE status = 'running' AND (locked_until IS NULL OR locked_until < now())
                     ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id, workspace_id`,
      [leaseMs],
    )) as [{ id: string; workspace_id: string }[], number];
    const claimed = rows[0][0];
    return claimed ? this.find(claimed.workspace_id, claimed.id) : null;
  }

  async release(id: string): Promise<void> {
    await this.dataSource.query(`UPDATE replays SET locked_until = NULL WHERE id = $1`, [id]);
  }

  async setTotal(replay: ReplayEntity): Promise<string> {
    const filter = replayFilterSql(replay.filter, 4);
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::text AS total FROM events
        WHERE workspace_id = $1 AND seq > $2 AND seq <= $3 AND ${filter.where}`,
      [replay.workspaceId, replay.cursor, replay.upperSeq, ...filter.params],
    )) as { total: string }[];
    await this.dataSource.query(`UPDATE replays SET total = $2 WHERE id = $1`, [
      replay.id,
      row.total,
    ]);
    return row.total;
  }

  /**
   * The events in the next window of store order, `(cursor, cursor + window]`
   * capped at the replay's end. A window bounds what any plan reads: right
   * after a bulk load the planner's statistics are stale, and an open-ended
   * `seq > cursor ORDER BY seq LIMIT n` was planned as "every event of the
   * type, sorted", for each page. `scannedTo` is where the next window starts.
   */
  async page(
    replay: ReplayEntity,
    cursor: string,
    window: number,
  ): Promise<{ events: ReplayedEvent[]; scannedTo: string }> {
    const scannedTo = (() => {
      const end = BigInt(cursor) + BigInt(window);
      const upper = BigInt(replay.upperSeq);
      return (end < upper ? end : upper).toString();
    })();
    const filter = replayFilterSql(replay.filter, 4);
    const events = (await this.dataSource.query(
      // Ordered by the bigint column e.seq: a bare "seq" would sort by the text alias.
      `SELECT e.seq::text AS seq, e.id, e.type, e.source, e.subject, e.envelope::text AS envelope
         FROM events e
        WHERE e.workspace_id = $1 AND e.seq > $2 AND e.seq <= $3 AND ${filter.where}
        ORDER BY e.seq`,
      [replay.workspaceId, cursor, scannedTo, ...filter.params],
    )) as ReplayedEvent[];
    return { events, scannedTo };
  }

  /**
   * Moves the cursor, in the caller's transaction when there is one, only
   * while the replay still runs. False means it was cancelled meanwhile.
   */
  async advance(
    manager: EntityManager,
    id: string,
    progress: {
      cursor: string;
      processed: number;
      deliveries: number;
      published: number;
      lease: number;
    },
  ): Promise<boolean> {
    const [rows] = (await manager.query(
      `UPDATE replays SET cursor = $2, processed = processed + $3, deliveries_created = deliveries_created + $4,
              published = published + $5, updated_at = now(),
              locked_until = now() + $6 * interval '1 millisecond'
        WHERE id = $1 AND status = 'running' RETURNING id`,
      [
        id,
        progress.cursor,
        progress.processed,
        progress.deliveries,
        progress.published,
        progress.lease,
      ],
    )) as [unknown[], number];
    return rows.length === 1;
  }

  async finish(
    id: string,
    status: 'completed' | 'failed' | 'cancelled',
    error: string | null = null,
  ) {
    const [rows] = (await this.dataSource.query(
      `UPDATE replays SET status = $2, error = $3, finished_at = now(), updated_at = now(), locked_until = NULL
        WHERE id = $1 AND status = 'running' RETURNING id`,
      [id, status, error],
    )) as [unknown[], number];
    return rows.length === 1;
  }

  /** Marks a running replay cancelled; false when it was not running (finished or cancelled). */
  async markCancelled(manager: EntityManager, id: string): Promise<boolean> {
    const [rows] = (await manager.query(
      `UPDATE replays SET status = 'cancelled', finished_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'running' RETURNING id`,
      [id],
    )) as [unknown[], number];
    return rows.length > 0;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }
}
