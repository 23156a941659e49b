import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Structured log records of every workspace (docs/adr/0027-logs-in-one-place.md).
 * `id` is arrival order: the cursor of listings and of follow mode. Each
 * filter of GET /v1/logs has an index led by the workspace, so one
 * workspace's queries never scan another's records; retention deletes by
 * `received_at`.
 */
export class LogRecords1732435290000 implements MigrationInterface {
  name = 'LogRecords1732435290000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE log_records (
        id bigserial PRIMARY KEY,
        workspace_id text NOT NULL,
        time timestamptz NOT NULL,
        received_at timestamptz NOT NULL DEFAULT now(),
        level smallint NOT NULL,
        message text NOT NULL,
        source text NOT NULL,
        agent_id text,
        run_id text,
        step text,
        task_id text,
        request_id text,
        trace_id text,
        fields jsonb NOT NULL DEFAULT '{}'
      )`);
    await runner.query(`CREATE INDEX log_records_workspace ON log_records (workspace_id, id)`);
    await runner.query(
      `CREATE INDEX log_records_run ON log_records (workspace_id, run_id, id) WHERE run_id IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX log_records_agent ON log_records (workspace_id, agent_id, id) WHERE agent_id IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX log_records_request ON log_records (workspace_id, request_id, id) WHERE request_id IS NOT NULL`,
    );
    await runner.query(`CREATE INDEX log_records_received ON log_records (received_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE log_records`);
  }
}
