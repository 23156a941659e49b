import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A workspace's own run admission limit (ADR 0041), set by platform admins in
 * place of RUN_ADMISSION_ACTIVE_RUNS_PER_WORKSPACE; 0 is no limit. Few rows:
 * only the workspaces an operator gave a limit of their own.
 */
export class WorkspaceAdmission1732435410000 implements MigrationInterface {
  name = 'WorkspaceAdmission1732435410000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(
      `CREATE TABLE workspace_admission (
         workspace_id text PRIMARY KEY,
         active_runs int NOT NULL CHECK (active_runs >= 0),
         updated_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE workspace_admission`);
  }
}
