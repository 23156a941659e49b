import type { Connection as CoreConnection } from 'mysql2';
import { createPool, type Pool, type PoolConnection } from 'mysql2/promise';
import { connect } from 'node:net';
import { OperationError } from '../connector';
import type { SqlConfig, SqlDriver, StatementResult } from './sql-connector';
import { jsonRow } from './sql-guard';

/** MySQL/MariaDB errors the caller causes (syntax, unknown names, constraints, read-only, bad values). */
const CALLER_ERRNOS = new Set([
  1044, 1045, 1046, 1048, 1049, 1054, 1062, 1064, 1146, 1136, 1216, 1217, 1264, 1292, 1364, 1366,
  1406, 1451, 1452, 1792, 1142, 1143, 1290, 4025,
]);
/** Statement time limits: MariaDB max_statement_time (1969), MySQL max_execution_time (3024). */
const TIMEOUT_ERRNOS = new Set([1969, 3024]);

export function classifyMysqlError(error: unknown, connection: string): OperationError {
  if (error instanceof OperationError) return error;
  const e = error as { errno?: number; code?: string; sqlState?: string; message?: string };
  const what = `mysql connection '${connection}'`;
  if (
    (e.errno !== undefined && TIMEOUT_ERRNOS.has(e.errno)) ||
    e.code === 'PROTOCOL_SEQUENCE_TIMEOUT'
  ) {
    return new OperationError('timeout', `${what}: statement timeout reached`);
  }
  if (
    (e.errno !== undefined && CALLER_ERRNOS.has(e.errno)) ||
    /^(22|23|42)/.test(e.sqlState ?? '')
  ) {
    return new OperationError('validation_error', `${what}: ${e.message} (${e.code ?? e.errno})`);
  }
  return new OperationError(
    'system_error',
    `${what}: ${e.message ?? e.code}${e.code ? ` (${e.code})` : ''}`,
  );
}

export const mysqlDriver: SqlDriver<Pool> = {
  dialect: 'mysql',
  defaultPort: 3306,
  createPool(config: SqlConfig, address: string, password: string | undefined): Pool {
    const pool = createPool({
      // The socket goes to the checked address; TLS still verifies the configured host name.
      host: config.host,
      stream: () => connect({ host: address, port: config.port }),
      port: config.port,
      database: config.database,
      user: config.user,
      password,
      connectionLimit: config.pool_size,
      connectTimeout: 5_000,
      multipleStatements: false,
      supportBigNumbers: true,
      bigNumberStrings: true,
      dateStrings: true,
      ...(config.ssl ? { ssl: { rejectUnauthorized: true, verifyIdentity: true } } : {}),
    });
    // Every session: the statement limit (MariaDB, else MySQL's, SELECT only) and the read-only flag.
    pool.pool.on('connection', (connection) => {
      const seconds = config.statement_timeout_ms / 1000;
      connection.query(`SET SESSION max_statement_time = ${seconds}`, (error) => {
        if (error)
          connection.query(
            `SET SESSION max_execution_time = ${config.statement_timeout_ms}`,
            () => undefined,
          );
      });
      if (config.read_only) connection.query('SET SESSION TRANSACTION READ ONLY', () => undefined);
    });
    return pool;
  },
  closePool: (pool) => pool.end(),
  async run(pool, sql, params, { readOnly, maxRows }): Promise<StatementResult> {
    const connection = await pool.getConnection();
    let broken = false;
    try {
      if (!readOnly) {
        const [result] = await connection.query({ sql, values: params });
        if (Array.isArray(result)) {
          const rows = result as Record<string, unknown>[];
          return {
            rows: rows.slice(0, maxRows).map(jsonRow),
            rowCount: rows.length,
            truncated: rows.length > maxRows,
          };
        }
        return {
          rows: [],
          rowCount: (result as { affectedRows?: number }).affectedRows ?? 0,
          truncated: false,
        };
      }
      await connection.query('START TRANSACTION READ ONLY');
      try {
        const { rows, truncated } = await streamRows(connection, sql, params, maxRows);
        await connection.query('COMMIT');
        // Rows past the cap were read and dropped; the session is fine, but start clean anyway.
        if (truncated) broken = true;
        return { rows: rows.map(jsonRow), rowCount: rows.length, truncated };
      } catch (error) {
        await connection.query('ROLLBACK').catch(() => {
          broken = true;
        });
        throw error;
      }
    } catch (error) {
      if ((error as { fatal?: boolean }).fatal) broken = true;
      throw error;
    } finally {
      if (broken) connection.destroy();
      else connection.release();
    }
  },
  async probe(pool) {
    const [rows] = await pool.query('SELECT VERSION() AS version');
    return { server_version: (rows as { version: string }[])[0]?.version };
  },
  classify: classifyMysqlError,
};

/** Keeps at most `maxRows` rows in memory, whatever the statement returns. */
function streamRows(
  connection: PoolConnection,
  sql: string,
  params: unknown[],
  maxRows: number,
): Promise<{ rows: Record<string, unknown>[]; truncated: boolean }> {
  return new Promise((resolve, reject) => {
    const rows: Record<string, unknown>[] = [];
    let truncated = false;
    const core = connection.connection as unknown as CoreConnection;
    const query = core.query({ sql, values: params });
    query.on('result', (row: unknown) => {
      if (rows.length < maxRows) rows.push(row as Record<string, unknown>);
      else truncated = true;
    });
    query.on('error', reject);
    query.on('end', () => resolve({ rows, truncated }));
  });
}
