import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The tasks of `pull` agents wait in the tasks table itself, and HTTP workers
 * claim them there (FOR UPDATE SKIP LOCKED) under a lease, so any replica of
 * agent-manager serves any claim and a restart loses nothing (ADR 0033).
 */
export class PullClaims1732435208000 implements MigrationInterface {
  name = 'PullClaims1732435208000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE tasks ADD COLUMN claim_token text, ADD COLUMN claim_until timestamptz,
         ADD COLUMN claimed_by text, ADD COLUMN claims int NOT NULL DEFAULT 0`,
    );
    await runner.query(
      `CREATE INDEX tasks_pull_queue ON tasks (workspace_id, agent, created_at)
       WHERE status = 'running' AND executor = 'agent-manager'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP INDEX tasks_pull_queue');
    await runner.query(
      'ALTER TABLE tasks DROP COLUMN claim_token, DROP COLUMN claim_until, DROP COLUMN claimed_by, DROP COLUMN claims',
    );
  }
}
