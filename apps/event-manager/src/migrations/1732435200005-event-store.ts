import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The event store: every platform event and every event users send to the
 * ingress topic, once per (workspace, id). Routes, transforms, replays and
 * alert rules get tables of their own in later migrations.
 */
export class EventStore1732435200005 implements MigrationInterface {
  name = 'EventStore1732435200005';

  async up(runner: QueryRunner): Promise<void> {
    // type is COLLATE "C" so that prefix patterns (`order.*` → LIKE 'order.%') can
    // use the btree index whatever the database's collation.
    // Retention will delete by received_at; if that becomes too slow at volume,
    // the table turns into one partitioned by received_at (the primary key then
    // has to include it).
    await runner.query(`
      CREATE TABLE events (
        workspace_id text NOT NULL,
        id text NOT NULL,
        type text COLLATE "C" NOT NULL,
        source text NOT NULL,
        subject text,
        time timestamptz NOT NULL,
        correlation_id text NOT NULL,
        causation_id text,
        data jsonb,
        envelope jsonb NOT NULL,
        topic text NOT NULL,
        partition int NOT NULL,
        "offset" bigint NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, id)
      )`);
    await runner.query(`CREATE INDEX events_type_time ON events (workspace_id, type, time)`);
    await runner.query(`CREATE INDEX events_correlation ON events (workspace_id, correlation_id)`);
    await runner.query(`CREATE INDEX events_received ON events (workspace_id, received_at, id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE events');
  }
}
