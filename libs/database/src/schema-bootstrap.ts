import { Client } from 'pg';

export const SCHEMA_PATTERN = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Each service owns one Postgres schema. TypeORM keeps its migrations table in
 * that schema, so the schema has to exist before the first migration runs.
 */
export async function ensureSchema(url: string, schema: string): Promise<void> {
  if (!SCHEMA_PATTERN.test(schema)) throw new Error(`invalid schema name '${schema}'`);
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } catch (error) {
    // Two processes of one service starting together may race on the catalog row.
    if ((error as { code?: string }).code !== '23505') throw error;
  } finally {
    await client.end();
  }
}
