import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Runs waiting for their workspace's admission (status `queued`, ADR 0041),
 * oldest first per workspace: what the admission poller reads. Partial, like
 * runs_active: it holds only the waiting runs, so it is empty most of the time.
 */
export class QueuedRuns1732435400000 implements MigrationInterface {
  name = 'QueuedRuns1732435400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX runs_queued ON runs (workspace_id, created_at, id) WHERE status = 'queued'`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX runs_queued`);
  }
}
