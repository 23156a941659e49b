import { DomainError } from '@baton/contracts';
import {
  OperationError,
  type ConnectionTarget,
  type Connector,
  type JsonSchema,
  type Operation,
  type OperationContext,
  type OperationResult,
} from '../connector';
import type { TargetPolicy } from '../target-policy';
import { checkParameterisedSql, sqlParams, type SqlDialect } from './sql-guard';

export interface SqlConfig {
  host: string;
  port: number;
  database: string;
  user: string;
  ssl: boolean;
  read_only: boolean;
  statement_timeout_ms: number;
  max_rows: number;
  pool_size: number;
}

export function sqlConfigSchema(defaultPort: number): JsonSchema {
  return {
    type: 'object',
    required: ['host', 'database', 'user'],
    additionalProperties: false,
    properties: {
      host: { type: 'string', minLength: 1, maxLength: 253 },
      port: { type: 'integer', minimum: 1, maximum: 65535, default: defaultPort },
      database: { type: 'string', minLength: 1, maxLength: 128 },
      user: { type: 'string', minLength: 1, maxLength: 128 },
      ssl: {
        type: 'boolean',
        default: false,
        description: 'TLS, verifying the server certificate',
      },
      read_only: {
        type: 'boolean',
        default: false,
        description: 'refuse execute; every session read-only',
      },
      statement_timeout_ms: { type: 'integer', minimum: 100, maximum: 600_000, default: 5_000 },
      max_rows: { type: 'integer', minimum: 1, maximum: 100_000, default: 1_000 },
      pool_size: { type: 'integer', minimum: 1, maximum: 100, default: 5 },
    },
  };
}

export function sqlConfig(config: Record<string, unknown>, defaultPort: number): SqlConfig {
  return {
    host: String(config.host),
    port: Number(config.port ?? defaultPort),
    database: String(config.database),
    user: String(config.user),
    ssl: config.ssl === true,
    read_only: config.read_only === true,
    statement_timeout_ms: Number(config.statement_timeout_ms ?? 5_000),
    max_rows: Number(config.max_rows ?? 1_000),
    pool_size: Number(config.pool_size ?? 5),
  };
}

const STATEMENT_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['sql'],
  additionalProperties: false,
  properties: {
    sql: { type: 'string', minLength: 1, maxLength: 100_000 },
    params: {
      type: 'array',
      maxItems: 10_000,
      items: { type: ['string', 'number', 'boolean', 'null', 'object', 'array'] },
    },
  },
};

export interface StatementResult {
  rows: Record<string, unknown>[];
  rowCount: number;
  truncated: boolean;
}

/** What a database driver does for the shared SQL connector. */
export interface SqlDriver<Pool> {
  dialect: SqlDialect;
  defaultPort: number;
  createPool(config: SqlConfig, address: string, password: string | undefined): Pool;
  closePool(pool: Pool): Promise<void>;
  /** Runs one statement; `readOnly` wraps it in a read-only transaction. */
  run(
    pool: Pool,
    sql: string,
    params: unknown[],
    options: { readOnly: boolean; maxRows: number },
  ): Promise<StatementResult>;
  probe(pool: Pool): Promise<Record<string, unknown>>;
  /** The typed failure of a driver error (constraint/syntax → validation_error, timeout, the rest system_error). */
  classify(error: unknown, connection: string): OperationError;
}

/**
 * `query` (read-only transaction, `{ rows, row_count }`, idempotent so it
 * is retried) and `execute` (writes; refused on a read-only connection; never
 * retried), parameterised only. One pool per connection, to the address the
 * target policy checked.
 */
export class SqlConnector<Pool> implements Connector {
  readonly configSchema: JsonSchema;
  readonly secretFields = [{ name: 'password', description: 'the database user password' }];
  readonly operations: ReadonlyMap<string, Operation>;
  private readonly pools = new Map<string, Promise<Pool>>();

  constructor(
    readonly kind: string,
    readonly description: string,
    private readonly driver: SqlDriver<Pool>,
    private readonly targets: TargetPolicy,
  ) {
    this.configSchema = sqlConfigSchema(driver.defaultPort);
    const check = (input: Record<string, unknown>) => {
      checkParameterisedSql(String(input.sql), (input.params as unknown[]) ?? [], driver.dialect);
    };
    const query: Operation = {
      name: 'query',
      description: 'Reads in a read-only transaction; output { rows, row_count, truncated }',
      inputSchema: STATEMENT_SCHEMA,
      idempotent: () => true,
      check,
      execute: (context, input) => this.statement(context, input, true),
    };
    const execute: Operation = {
      name: 'execute',
      description: 'Writes (INSERT/UPDATE/DELETE…); output { row_count, rows } (rows of RETURNING)',
      inputSchema: STATEMENT_SCHEMA,
      idempotent: () => false,
      check: (input, connection) => {
        if (connection.config.read_only === true) {
          throw new OperationError(
            'validation_error',
            `connection '${connection.name}' is read-only: execute is refused`,
            null,
            undefined,
            'operation',
          );
        }
        check(input);
      },
      execute: (context, input) => this.statement(context, input, false),
    };
    this.operations = new Map([
      [query.name, query],
      [execute.name, execute],
    ]);
  }

  async validateConfig(config: Record<string, unknown>): Promise<void> {
    const refused = await this.targets.refusal(String(config.host));
    if (refused) throw DomainError.invalid('config.host', `must not be internal: ${refused}`);
  }

  async probe(context: OperationContext): Promise<Record<string, unknown>> {
    const pool = await this.pool(context.connection);
    try {
      return { reachable: true, ...(await this.driver.probe(pool)) };
    } catch (error) {
      throw this.driver.classify(error, context.connection.name);
    }
  }

  async release(key: string): Promise<void> {
    const pool = this.pools.get(key);
    this.pools.delete(key);
    if (pool) await pool.then((p) => this.driver.closePool(p)).catch(() => undefined);
  }

  async close(): Promise<void> {
    await Promise.all([...this.pools.keys()].map((key) => this.release(key)));
  }

  private async statement(
    context: OperationContext,
    input: Record<string, unknown>,
    readOnly: boolean,
  ): Promise<OperationResult> {
    const { connection } = context;
    const config = sqlConfig(connection.config, this.driver.defaultPort);
    const pool = await this.pool(connection);
    try {
      const result = await this.driver.run(
        pool,
        String(input.sql),
        sqlParams((input.params as unknown[]) ?? []),
        {
          readOnly,
          maxRows: config.max_rows,
        },
      );
      return {
        output: readOnly
          ? {
              rows: result.rows,
              row_count: result.rows.length,
              ...(result.truncated ? { truncated: true } : {}),
            }
          : {
              row_count: result.rowCount,
              rows: result.rows,
              ...(result.truncated ? { truncated: true } : {}),
            },
      };
    } catch (error) {
      throw this.driver.classify(error, connection.name);
    }
  }

  /** The connection's pool, created on first use against the address the policy allowed. */
  private pool(connection: ConnectionTarget): Promise<Pool> {
    let pool = this.pools.get(connection.key);
    if (!pool) {
      const config = sqlConfig(connection.config, this.driver.defaultPort);
      pool = this.targets.address(config.host).then(
        (address) => this.driver.createPool(config, address, connection.secrets.password),
        (error: Error) => {
          this.pools.delete(connection.key);
          throw new OperationError(
            'system_error',
            `${this.kind} connection '${connection.name}' refused: ${error.message}`,
          );
        },
      );
      this.pools.set(connection.key, pool);
    }
    return pool;
  }
}
