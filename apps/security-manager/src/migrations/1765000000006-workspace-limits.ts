import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each workspace's own rate limits and stream cap; a NULL column takes the gateway's default. */
export class WorkspaceLimits1765000000006 implements MigrationInterface {
  name = 'WorkspaceLimits1765000000006';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE workspace_limits (
        workspace_id text PRIMARY KEY REFERENCES workspaces (id) ON DELETE CASCADE,
        requests_per_key integer CHECK (requests_per_key > 0),
        requests_per_workspace integer CHECK (requests_per_workspace > 0),
        window_seconds integer CHECK (window_seconds BETWEEN 1 AND 86400),
        sse_streams integer CHECK (sse_streams >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE workspace_limits');
  }
}
