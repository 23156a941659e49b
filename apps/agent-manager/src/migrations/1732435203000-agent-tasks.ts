import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Tasks agent-manager owns (invoke, submit) or executes itself (agents of the
 * rules, http and llm runtimes), their callbacks (a durable timer per row:
 * callback_next_at), every result seen on baton.agent.results for stats, and
 * the decommissioning deadline of an agent.
 */
export class AgentTasks1732435203000 implements MigrationInterface {
  name = 'AgentTasks1732435203000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        agent text NOT NULL,
        agent_version int NOT NULL,
        origin text NOT NULL,
        executor text NOT NULL,
        status text NOT NULL,
        attempt int NOT NULL DEFAULT 1,
        input jsonb,
        output jsonb,
        error jsonb,
        run_id uuid,
        step text,
        deadline timestamptz,
        lease_until timestamptz,
        idempotency_key text,
        callback_url text,
        callback_status text,
        callback_attempts int NOT NULL DEFAULT 0,
        callback_last_error text,
        callback_last_attempt_at timestamptz,
        callback_next_at timestamptz,
        callback_delivered_at timestamptz,
        correlation_id text,
        created_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        duration_ms int
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX tasks_idempotency ON tasks (workspace_id, idempotency_key)
       WHERE idempotency_key IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX tasks_in_flight ON tasks (workspace_id, agent) WHERE status = 'running'`,
    );
    await runner.query(
      `CREATE INDEX tasks_leases ON tasks (lease_until) WHERE status = 'running' AND executor = 'agent-manager'`,
    );
    await runner.query(
      `CREATE INDEX tasks_callbacks_due ON tasks (callback_next_at)
       WHERE callback_status IN ('pending', 'retrying')`,
    );
    await runner.query(`
      CREATE TABLE agent_results (
        workspace_id text NOT NULL,
        agent text NOT NULL,
        task_id uuid NOT NULL,
        attempt int NOT NULL,
        status text NOT NULL,
        error_type text,
        duration_ms int,
        finished_at timestamptz NOT NULL,
        PRIMARY KEY (task_id, attempt)
      )`);
    await runner.query(
      `CREATE INDEX agent_results_by_agent ON agent_results (workspace_id, agent, finished_at)`,
    );
    await runner.query(`ALTER TABLE agents ADD COLUMN decommission_deadline timestamptz`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`ALTER TABLE agents DROP COLUMN decommission_deadline`);
    await runner.query('DROP TABLE agent_results');
    await runner.query('DROP TABLE tasks');
  }
}
