import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The id of the transaction that stored each event, so that the gateway's
 * event stream can follow the store in commit order (ADR 0024): `seq` is
 * handed out at insert, and two store transactions can commit in the
 * opposite order of their `seq`s, which a follower reading "after the last
 * seq" would skip. Events of transactions older than every running one
 * (`pg_snapshot_xmin`) can no longer be joined by earlier ones.
 */
export class EventStreamPositions1732435224000 implements MigrationInterface {
  name = 'EventStreamPositions1732435224000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE events ADD COLUMN xid xid8 NOT NULL DEFAULT pg_current_xact_id()`,
    );
    await runner.query(`CREATE INDEX events_stream ON events (workspace_id, xid, seq)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX events_stream`);
    await runner.query(`ALTER TABLE events DROP COLUMN xid`);
  }
}
