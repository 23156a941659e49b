import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which run a run replays (POST /v1/runs/{id}/replay, an event replay) and
 * the steps that must ask the model again: written when the replay's first
 * agent task arrives, read by every model-call lookup of the run, so a task
 * run again from the table after a crash still reuses the source's answers.
 */
export class LlmReplays1732435327000 implements MigrationInterface {
  name = 'LlmReplays1732435327000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE llm_replays (
         run_id uuid PRIMARY KEY,
         workspace_id text NOT NULL,
         source_run_id uuid NOT NULL,
         refresh jsonb NOT NULL DEFAULT '[]',
         created_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    await runner.query('CREATE INDEX llm_replays_workspace ON llm_replays (workspace_id)');
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE llm_replays');
  }
}
