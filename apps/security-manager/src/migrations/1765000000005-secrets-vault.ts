import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The per-workspace vault: values only ever stored sealed (v2:<key id>:...). */
export class SecretsVault1765000000005 implements MigrationInterface {
  name = 'SecretsVault1765000000005';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE secrets (
        workspace_id text NOT NULL,
        name text NOT NULL,
        sealed text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE secrets`);
  }
}
