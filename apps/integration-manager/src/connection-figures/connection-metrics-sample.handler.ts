import {
  AlertMessageTypes,
  ConnectionMetricsSampleQuery,
  type ConnectionFigures,
  type ConnectionMetricsSample,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';

interface CallsRow {
  connection: string;
  calls: number;
  ok: number;
  failed: number;
  rejected: number;
  p95: number | null;
}

/**
 * Connection figures over a window for event-manager's alert rules
 * (`baton.integration.metrics.sample`): calls by outcome and their p95 from
 * connection_calls, and open breakers from connection_breakers (a breaker
 * open on any replica, until its reset time). The workspace is the request's.
 */
@Injectable()
export class ConnectionMetricsSampleHandler {
  constructor(
    server: ServiceCommandServer,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {
    server.handle(
      AlertMessageTypes.connectionMetricsSample,
      ConnectionMetricsSampleQuery,
      (query, envelope) => this.sample(envelope.workspaceid, query),
    );
  }

  private async sample(
    workspaceId: string,
    query: ConnectionMetricsSampleQuery,
  ): Promise<ConnectionMetricsSample> {
    const known = (await this.dataSource.query(
      `SELECT name FROM connections WHERE workspace_id = $1 AND name = ANY($2::text[])`,
      [workspaceId, query.connections],
    )) as { name: string }[];
    const names = known.map((row) => row.name);
    const calls = (await this.dataSource.query(
      `SELECT connection, count(*)::int AS calls,
              (count(*) FILTER (WHERE outcome = 'ok'))::int AS ok,
              (count(*) FILTER (WHERE outcome IN ('system_error', 'timeout')))::int AS failed,
              (count(*) FILTER (WHERE outcome = 'validation_error'))::int AS rejected,
              percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
         FROM connection_calls
        WHERE workspace_id = $1 AND connection = ANY($2::text[])
          AND at > now() - ($3 || ' seconds')::interval
        GROUP BY connection`,
      [workspaceId, names, String(query.window_seconds)],
    )) as CallsRow[];
    const open = new Set(
      (
        (await this.dataSource.query(
          `SELECT DISTINCT connection FROM connection_breakers
            WHERE workspace_id = $1 AND state = 'open' AND open_until > now()`,
          [workspaceId],
        )) as { connection: string }[]
      ).map((row) => row.connection),
    );
    const byName = new Map(calls.map((row) => [row.connection, row]));
    const figures = (name: string): ConnectionFigures => {
      const row = byName.get(name);
      return {
        calls: row?.calls ?? 0,
        ok: row?.ok ?? 0,
        failed: row?.failed ?? 0,
        rejected: row?.rejected ?? 0,
        p95_ms: row?.p95 === null || row?.p95 === undefined ? null : Math.round(row.p95 * 10) / 10,
        breaker_open: open.has(name) ? 1 : 0,
      };
    };
    return {
      window_seconds: query.window_seconds,
      breakers_open: open.size,
      connections: Object.fromEntries(names.map((name) => [name, figures(name)])),
    };
  }
}
