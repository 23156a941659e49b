import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import type { WaitProbe } from './runs.repository';

/**
 * How long an event that found no wait is kept for one created later: a
 * callback that beats the run to its wait_for_event step is not lost.
 */
export const EARLY_EVENT_WINDOW_MS = 10 * 60_000;

export interface EarlyEvent extends WaitProbe {
  id: string;
  data: unknown;
}

/** Events that arrived before their wait, kept only for types some workflow waits for. */
@Injectable()
export class EarlyEventsRepository {
  private lastPrune = 0;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Keeps the events that carry a correlation key and are of a type some
   * workflow waits for; returns the ids of those kept (not seen before).
   */
  async keep(events: EarlyEvent[]): Promise<string[]> {
    await this.pruneNowAndThen();
    const keyed = events.filter((e) => e.keys.length > 0);
    if (keyed.length === 0) return [];
    const rows = (await this.dataSource.query(
      `INSERT INTO early_events (workspace_id, event_id, event_type, keys, data)
       SELECT e.workspace_id, e.id, e.type, e.keys, e.data
         FROM jsonb_to_recordset($1::jsonb) AS e(workspace_id text, id text, type text, keys text[], data jsonb)
         JOIN awaited_event_types a ON a.workspace_id = e.workspace_id AND a.event_type = e.type
       ON CONFLICT DO NOTHING RETURNING event_id`,
      [
        JSON.stringify(
          keyed.map((e) => ({
            workspace_id: e.workspaceId,
            id: e.id,
            type: e.type,
            keys: e.keys,
            data: e.data ?? null,
          })),
        ),
      ],
    )) as { event_id: string }[];
    return rows.map((r) => r.event_id);
  }

  /**
   * Takes (deletes) the oldest kept event a new wait with a correlation
   * accepts, in the wait's transaction, so that an event ends at most one
   * wait. A wait without one takes the next event, not an earlier one.
   */
  async take(
    manager: EntityManager,
    wait: { workspaceId: string; type: string; correlation: string | null },
  ): Promise<{ type: string; data: unknown } | undefined> {
    if (wait.correlation === null) return undefined;
    const rows = (await manager.query(
      `DELETE FROM early_events WHERE (workspace_id, event_id) = (
         SELECT workspace_id, event_id FROM early_events
          WHERE workspace_id = $1 AND event_type = $2 AND $3 = ANY (keys)
            AND received_at > now() - make_interval(secs => $4)
          ORDER BY received_at LIMIT 1 FOR UPDATE SKIP LOCKED)
       RETURNING event_type, data`,
      [wait.workspaceId, wait.type, wait.correlation, EARLY_EVENT_WINDOW_MS / 1000],
    )) as [{ event_type: string; data: unknown }[], number];
    const [row] = rows[0];
    return row ? { type: row.event_type, data: row.data } : undefined;
  }

  /** Takes one kept event by id; false when a new wait took it first. */
  async claim(workspaceId: string, eventId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(
      'DELETE FROM early_events WHERE workspace_id = $1 AND event_id = $2 RETURNING event_id',
      [workspaceId, eventId],
    )) as [unknown[], number];
    return rows[0].length > 0;
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.lastPrune < EARLY_EVENT_WINDOW_MS / 10) return;
    this.lastPrune = Date.now();
    await this.dataSource.query(
      `DELETE FROM early_events WHERE received_at < now() - make_interval(secs => $1)`,
      [EARLY_EVENT_WINDOW_MS / 1000],
    );
  }
}
