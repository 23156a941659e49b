import type { MigrationInterface, QueryRunner } from 'typeorm';

export class WorkflowEngine1732435200002 implements MigrationInterface {
  name = 'WorkflowEngine1732435200002';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE workflows (
        workspace_id text NOT NULL,
        name text NOT NULL,
        active_version int NOT NULL,
        latest_version int NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name)
      )`);
    // Versions are immutable: a run is pinned to the version it started with.
    await runner.query(`
      CREATE TABLE workflow_versions (
        workspace_id text NOT NULL,
        name text NOT NULL,
        version int NOT NULL,
        source text NOT NULL,
        definition jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name, version)
      )`);
    // A projection of agent-manager's registry, fed by baton.agent.events.
    await runner.query(`
      CREATE TABLE known_agents (
        workspace_id text NOT NULL,
        name text NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name)
      )`);
    await runner.query(`
      CREATE TABLE runs (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        workflow text NOT NULL,
        workflow_version int NOT NULL,
        status text NOT NULL,
        input jsonb NOT NULL,
        output jsonb,
        error jsonb,
        correlation_id text NOT NULL,
        idempotency_key text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await runner.query(
      `CREATE UNIQUE INDEX runs_idempotency ON runs (workspace_id, workflow, idempotency_key) WHERE idempotency_key IS NOT NULL`,
    );
    await runner.query(
      `CREATE INDEX runs_listing ON runs (workspace_id, created_at DESC, id DESC)`,
    );
    await runner.query(`
      CREATE TABLE step_executions (
        task_id uuid PRIMARY KEY,
        run_id uuid NOT NULL REFERENCES runs (id),
        step_name text NOT NULL,
        step_index int NOT NULL,
        status text NOT NULL,
        attempt int NOT NULL,
        agent text,
        action text,
        input jsonb,
        output jsonb,
        error jsonb,
        started_at timestamptz,
        finished_at timestamptz
      )`);
    await runner.query(`CREATE INDEX step_executions_run ON step_executions (run_id, step_index)`);
    // Durable timers: step timeouts and retry backoff fire after a restart too.
    await runner.query(`
      CREATE TABLE timers (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL,
        kind text NOT NULL,
        fire_at timestamptz NOT NULL,
        payload jsonb NOT NULL
      )`);
    await runner.query(`CREATE INDEX timers_due ON timers (fire_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'timers',
      'step_executions',
      'runs',
      'known_agents',
      'workflow_versions',
      'workflows',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
