import type { MigrationInterface, QueryRunner } from 'typeorm';

export class IntegrationManager1732435200004 implements MigrationInterface {
  name = 'IntegrationManager1732435200004';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE connections (
        workspace_id text NOT NULL,
        name text NOT NULL,
        connector text NOT NULL,
        config jsonb NOT NULL DEFAULT '{}',
        secrets_ciphertext text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name)
      )`);
    // output, error_type and result_message_id let a redelivered task be answered
    // with exactly the result recorded the first time, without calling out again.
    await runner.query(`
      CREATE TABLE deliveries (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        task_id uuid NOT NULL,
        attempt int NOT NULL,
        run_id uuid,
        step text,
        action text NOT NULL,
        connection text NOT NULL,
        status text NOT NULL CHECK (status IN ('delivered', 'failed')),
        http_status int,
        error text,
        error_type text,
        output jsonb,
        result_message_id uuid NOT NULL,
        duration_ms int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (task_id, attempt)
      )`);
    await runner.query(
      `CREATE INDEX deliveries_workspace_created ON deliveries (workspace_id, created_at DESC)`,
    );
    await runner.query(
      `CREATE INDEX deliveries_run ON deliveries (run_id) WHERE run_id IS NOT NULL`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE deliveries');
    await runner.query('DROP TABLE connections');
  }
}
