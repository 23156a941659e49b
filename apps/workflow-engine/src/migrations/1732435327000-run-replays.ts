import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A run started by `POST /v1/runs/{id}/replay` (or by an event replay) names
 * the run it replays and the steps whose model answers it must not reuse:
 * both travel with every agent task of the run, so agent-manager reuses the
 * source run's recorded answers. Nullable columns without defaults: adding
 * them rewrites nothing.
 */
export class RunReplays1732435327000 implements MigrationInterface {
  name = 'RunReplays1732435327000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `ALTER TABLE runs ADD COLUMN replay_of uuid, ADD COLUMN replay_refresh jsonb`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE runs DROP COLUMN replay_of, DROP COLUMN replay_refresh`);
  }
}
