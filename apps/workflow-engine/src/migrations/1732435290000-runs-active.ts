import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The active runs (running or paused) by workspace and workflow, for the
 * baton_workflow_runs_active gauge read at every scrape. Partial: it holds only
 * runs still going, and a run's status changes twice in its life, so step
 * updates stay HOT (see RoomForHotUpdates).
 */
export class RunsActive1732435290000 implements MigrationInterface {
  name = 'RunsActive1732435290000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE INDEX runs_active ON runs (workspace_id, workflow, status) WHERE status IN ('running', 'paused')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX runs_active`);
  }
}
