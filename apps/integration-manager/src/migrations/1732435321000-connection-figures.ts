import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What alert rules read of connections (docs/alerts.md): one row per
 * connector call (outcome and duration, kept 8 days, written in batches),
 * and each replica's breaker state per connection, written when it changes.
 * An open breaker's row says until when it refuses calls, so a replica that
 * died with a breaker open stops counting once that time has passed.
 */
export class ConnectionFigures1732435321000 implements MigrationInterface {
  name = 'ConnectionFigures1732435321000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE connection_calls (
        id bigserial PRIMARY KEY,
        workspace_id text NOT NULL,
        connection text NOT NULL,
        outcome text NOT NULL,
        duration_ms double precision NOT NULL,
        at timestamptz NOT NULL
      )`);
    await runner.query(
      `CREATE INDEX connection_calls_window ON connection_calls (workspace_id, connection, at)`,
    );
    await runner.query(`CREATE INDEX connection_calls_at ON connection_calls (at)`);
    await runner.query(`
      CREATE TABLE connection_breakers (
        workspace_id text NOT NULL,
        connection text NOT NULL,
        replica text NOT NULL,
        state text NOT NULL,
        open_until timestamptz,
        changed_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, connection, replica)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE connection_breakers`);
    await runner.query(`DROP TABLE connection_calls`);
  }
}
