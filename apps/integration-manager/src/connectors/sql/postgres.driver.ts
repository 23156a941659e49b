import { Pool, type PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import { OperationError } from '../connector';
import type { SqlConfig, SqlDriver, StatementResult } from './sql-connector';
import { jsonRow } from './sql-guard';

/** SQLSTATE classes the caller causes: data exceptions, constraints, read-only, syntax and names. */
const CALLER_CLASSES = ['22', '23', '25', '42', '2B', '0A', '44'];

export function classifyPostgresError(error: unknown, connection: string): OperationError {
  if (error instanceof OperationError) return error;
  const e = error as { code?: string; message?: string };
  const code = e.code ?? '';
  const what = `postgres connection '${connection}'`;
  if (code === '57014')
    return new OperationError('timeout', `${what}: statement timeout reached (canceled)`);
  if (/^[0-9A-Z]{5}$/.test(code) && CALLER_CLASSES.includes(code.slice(0, 2))) {
    return new OperationError('validation_error', `${what}: ${e.message} (SQLSTATE ${code})`);
  }
  if (code === '28P01' || code === '28000' || code === '3D000') {
    return new OperationError('validation_error', `${what}: ${e.message} (SQLSTATE ${code})`);
  }
  return new OperationError(
    'system_error',
    `${what}: ${e.message ?? code}${code ? ` (${code})` : ''}`,
  );
}

export const postgresDriver: SqlDriver<Pool> = {
  dialect: 'postgres',
  defaultPort: 5432,
  createPool(config: SqlConfig, address: string, password: string | undefined): Pool {
    const pool = new Pool({
      host: address,
      port: config.port,
      database: config.database,
      user: config.user,
      password,
      max: config.pool_size,
      ssl: config.ssl ? { servername: config.host, rejectUnauthorized: true } : false,
      statement_timeout: config.statement_timeout_ms,
      idle_in_transaction_session_timeout: config.statement_timeout_ms * 2,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      application_name: 'baton-connector',
      ...(config.read_only ? { options: '-c default_transaction_read_only=on' } : {}),
    });
    // An idle client losing its server must not crash the process.
    pool.on('error', () => undefined);
    return pool;
  },
  closePool: (pool) => pool.end(),
  async run(pool, sql, params, { readOnly, maxRows }): Promise<StatementResult> {
    const client = await pool.connect();
    let broken = false;
    try {
      if (!readOnly) {
        const result = await client.query({ text: sql, values: params });
        const rows = (result.rows ?? []) as Record<string, unknown>[];
        return {
          rows: rows.slice(0, maxRows).map(jsonRow),
          rowCount: result.rowCount ?? 0,
          truncated: rows.length > maxRows,
        };
      }
      await client.query('BEGIN READ ONLY');
      try {
        // A cursor fetches at most max_rows + 1: a huge result never reaches memory.
        const rows = await readCursor(client, sql, params, maxRows + 1);
        await client.query('COMMIT');
        return {
          rows: rows.slice(0, maxRows).map(jsonRow),
          rowCount: Math.min(rows.length, maxRows),
          truncated: rows.length > maxRows,
        };
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      }
    } catch (error) {
      if (!(error as { code?: string }).code) broken = true;
      throw error;
    } finally {
      client.release(broken);
    }
  },
  async probe(pool) {
    const result = await pool.query<{ version: string }>('SHOW server_version');
    return {
      server_version:
        result.rows[0]?.version ??
        (result.rows[0] as unknown as Record<string, string>)?.server_version,
    };
  },
  classify: classifyPostgresError,
};

async function readCursor(
  client: PoolClient,
  sql: string,
  params: unknown[],
  count: number,
): Promise<Record<string, unknown>[]> {
  const cursor = client.query(new Cursor<Record<string, unknown>>(sql, params));
  try {
    return await cursor.read(count);
  } finally {
    await cursor.close().catch(() => undefined);
  }
}
