import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import type { CallOutcome, ObservedBreakerState } from './connection-observer';

/** How long call records are kept (longer than any alert window). */
const KEEP = `interval '8 days'`;

/** One connector call, as recorded for alert figures. */
export interface ConnectionCall {
  workspace: string;
  connection: string;
  outcome: CallOutcome;
  ms: number;
  at: Date;
}

/** Calls of one connection in a window, by outcome, with their p95 duration. */
export interface ConnectionCallsRow {
  connection: string;
  calls: number;
  ok: number;
  failed: number;
  rejected: number;
  p95: number | null;
}

/**
 * The per-connection figures alert rules read: `connection_calls` (every
 * call's outcome and duration) and `connection_breakers` (each replica's
 * breaker state).
 */
@Injectable()
export class ConnectionFiguresRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The breaker state of one connection on one replica, as it last changed. */
  async recordBreaker(
    workspace: string,
    connection: string,
    replica: string,
    state: ObservedBreakerState,
    openUntil: Date | null,
  ): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO connection_breakers (workspace_id, connection, replica, state, open_until, changed_at)
           VALUES ($1, $2, $3, $4, $5, now())
           ON CONFLICT (workspace_id, connection, replica)
           DO UPDATE SET state = EXCLUDED.state, open_until = EXCLUDED.open_until,
                         changed_at = EXCLUDED.changed_at`,
      [workspace, connection, replica, state, openUntil],
    );
  }

  /** One insert for all the calls given (the caller bounds how many). */
  async insertCalls(calls: readonly ConnectionCall[]): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO connection_calls (workspace_id, connection, outcome, duration_ms, at)
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::timestamptz[])`,
      [
        calls.map((c) => c.workspace),
        calls.map((c) => c.connection),
        calls.map((c) => c.outcome),
        calls.map((c) => c.ms),
        calls.map((c) => c.at.toISOString()),
      ],
    );
  }

  /** Deletes the call records past the 8 days kept. */
  async pruneCalls(): Promise<void> {
    await this.dataSource.query(`DELETE FROM connection_calls WHERE at < now() - ${KEEP}`);
  }

  /** Per connection among `connections`, its calls in the last `windowSeconds`. */
  async calls(
    workspaceId: string,
    connections: readonly string[],
    windowSeconds: number,
  ): Promise<ConnectionCallsRow[]> {
    return (await this.dataSource.query(
      `SELECT connection, count(*)::int AS calls,
              (count(*) FILTER (WHERE outcome = 'ok'))::int AS ok,
              (count(*) FILTER (WHERE outcome IN ('system_error', 'timeout')))::int AS failed,
              (count(*) FILTER (WHERE outcome = 'validation_error'))::int AS rejected,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
         FROM connection_calls
        WHERE workspace_id = $1 AND connection = ANY($2::text[])
          AND at > now() - ($3 || ' seconds')::interval
        GROUP BY connection`,
      [workspaceId, connections, String(windowSeconds)],
    )) as ConnectionCallsRow[];
  }

  /** Connections of the workspace whose breaker is open on any replica (until its reset time). */
  async openBreakers(workspaceId: string): Promise<Set<string>> {
    const rows = (await this.dataSource.query(
      `SELECT DISTINCT connection FROM connection_breakers
            WHERE workspace_id = $1 AND state = 'open' AND open_until > now()`,
      [workspaceId],
    )) as { connection: string }[];
    return new Set(rows.map((row) => row.connection));
  }
}
