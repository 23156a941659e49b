import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The signatures of inbound hook calls already accepted, until their
 * timestamp leaves the tolerance window: a second call with one is a
 * replay. Shared by every replica, so a replay sent to another replica is
 * refused too.
 */
export class HookReplays1732435200047 implements MigrationInterface {
  name = 'HookReplays1732435200047';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE hook_signatures (
        workspace_id text NOT NULL,
        connection text NOT NULL,
        digest text NOT NULL,
        event_id uuid NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (workspace_id, connection, digest)
      )`);
    await runner.query(`CREATE INDEX hook_signatures_expiry ON hook_signatures (expires_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE hook_signatures');
  }
}
