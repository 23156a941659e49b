import type { Envelope } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { CLOCK_TIMER_KINDS } from './timer-kinds';

/** A timer as the timers poller claimed it. */
export interface ClaimedTimer {
  run_id: string;
  kind: string;
  payload: Record<string, unknown>;
}

/**
 * What reaches a paused run waits here until it resumes: task results (the
 * agent's work is kept, not lost), timers that came due (a timeout, a retry
 * backoff), and signals between runs or from events (a child run to start, a
 * child that finished, an event that ended a wait), kept as timers too.
 * Callers hold the run's row lock, so a resume never misses an item written
 * concurrently.
 */
@Injectable()
export class HeldWorkRepository {
  async holdResult(manager: EntityManager, runId: string, envelope: Envelope): Promise<void> {
    await manager.query('INSERT INTO held_results (run_id, envelope) VALUES ($1, $2)', [
      runId,
      JSON.stringify(envelope),
    ]);
  }

  /** The timer fired while the run was paused: keep it, due now, for the resume to shift. */
  async holdTimer(manager: EntityManager, timer: ClaimedTimer): Promise<void> {
    await manager.query(
      'INSERT INTO held_timers (run_id, kind, fire_at, payload) VALUES ($1, $2, now(), $3)',
      [timer.run_id, timer.kind, JSON.stringify(timer.payload)],
    );
  }

  /**
   * Time stands still for a paused run: its pending clock timers (timeouts,
   * backoff) and the ones held meanwhile are moved later by the paused time,
   * so a step keeps the time it had left; held signals fire at once. Returns
   * the held results, in arrival order, and forgets them.
   */
  async release(manager: EntityManager, runId: string, pausedMs: number): Promise<Envelope[]> {
    const shift = `${Math.max(0, Math.round(pausedMs))} milliseconds`;
    // SKIP LOCKED: a timer being fired right now is handled by its firing transaction.
    await manager.query(
      `UPDATE timers SET fire_at = fire_at + $2::interval
        WHERE id IN (SELECT id FROM timers WHERE run_id = $1 AND kind = ANY ($3::text[])
                     FOR UPDATE SKIP LOCKED)`,
      [runId, shift, CLOCK_TIMER_KINDS],
    );
    await manager.query(
      `WITH held AS (DELETE FROM held_timers WHERE run_id = $1 RETURNING kind, fire_at, payload)
       INSERT INTO timers (run_id, kind, fire_at, payload)
       SELECT $1, kind,
              CASE WHEN kind = ANY ($3::text[]) THEN fire_at + $2::interval ELSE now() END,
              payload
         FROM held`,
      [runId, shift, CLOCK_TIMER_KINDS],
    );
    const rows = returnedRows<{ id: string; envelope: Envelope }>(
      await manager.query('DELETE FROM held_results WHERE run_id = $1 RETURNING id, envelope', [
        runId,
      ]),
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((row) => row.envelope);
  }

  /** A cancelled run needs nothing it was waiting for. */
  async discard(manager: EntityManager, runId: string): Promise<void> {
    await manager.query('DELETE FROM held_results WHERE run_id = $1', [runId]);
    await manager.query('DELETE FROM held_timers WHERE run_id = $1', [runId]);
    await manager.query(
      `DELETE FROM timers WHERE id IN (SELECT id FROM timers WHERE run_id = $1 FOR UPDATE SKIP LOCKED)`,
      [runId],
    );
  }
}

/** TypeORM answers a DELETE ... RETURNING on Postgres with [rows, count]. */
function returnedRows<T>(result: unknown): T[] {
  const list = result as [T[], number] | T[];
  return Array.isArray(list[0]) ? (list[0] as T[]) : (list as T[]);
}
