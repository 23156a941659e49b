import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';

/** The part of node-postgres' client this needs (TypeORM's runner exposes it once connected). */
interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const names = new Map<string, string>();

/**
 * Runs `text` as a named prepared statement on the manager's connection, so
 * Postgres parses and plans it once per connection instead of on every call.
 * For statements on a hot path whose text is fixed (or one of a few
 * variants): planning was half the cost of the engine's write statement.
 * Rows come back as the driver reads them (jsonb parsed, timestamptz as
 * Date), under the names the statement gives them.
 *
 * Outside a transaction (no connected query runner) it runs on a connection
 * of the pool, where it is prepared once per pooled connection: one statement
 * that Postgres commits by itself (UnitOfWork.runAsOneStatement).
 */
export async function preparedQuery<R>(
  manager: EntityManager,
  text: string,
  values: unknown[],
): Promise<R[]> {
  const client =
    (manager.queryRunner as { databaseConnection?: PgClient } | undefined)?.databaseConnection ??
    (manager.connection.driver as { master?: PgClient }).master;
  if (!client) return (await manager.query(text, values)) as R[];
  const result = await client.query({ name: statementName(text), text, values });
  return result.rows as R[];
}

/** A name per distinct text: Postgres refuses one name for two texts on a connection. */
function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `baton_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    names.set(text, name);
  }
  return name;
}
