import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Nested execution: step executions are keyed by their position in the run
 * (`fan-out[1].fetch`, `each[3].charge`), runs keep their interpreter state
 * and may be children of another run's step, and wait_for_event steps wait in
 * `waits` until a matching event arrives.
 */
export class ControlFlow1732435201000 implements MigrationInterface {
  name = 'ControlFlow1732435201000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      ALTER TABLE runs
        ADD COLUMN parent_run_id uuid,
        ADD COLUMN parent_task_id uuid,
        ADD COLUMN parent_attempt int,
        ADD COLUMN state jsonb`);
    await runner.query(
      `CREATE INDEX runs_parent_task ON runs (parent_task_id) WHERE parent_task_id IS NOT NULL`,
    );
    await runner.query(`
      ALTER TABLE step_executions
        ADD COLUMN path text,
        ADD COLUMN kind text,
        ADD COLUMN frame text NOT NULL DEFAULT '',
        ADD COLUMN workflow text,
        ADD COLUMN seq int NOT NULL DEFAULT 0,
        ADD COLUMN meta jsonb`);
    // Rows of runs started before this version: top-level agent or action steps.
    await runner.query(`
      UPDATE step_executions
         SET path = step_name,
             kind = CASE WHEN action IS NOT NULL THEN 'action' ELSE 'agent' END,
             seq = step_index + 1`);
    await runner.query(
      `ALTER TABLE step_executions ALTER COLUMN path SET NOT NULL, ALTER COLUMN kind SET NOT NULL`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX step_executions_path ON step_executions (run_id, path)`,
    );
    await runner.query(`
      CREATE TABLE waits (
        task_id uuid PRIMARY KEY,
        run_id uuid NOT NULL,
        workspace_id text NOT NULL,
        event_type text NOT NULL,
        correlation text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX waits_match ON waits (workspace_id, event_type, correlation)`);
    await runner.query(`CREATE INDEX timers_task ON timers (run_id, (payload->>'task_id'))`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP INDEX timers_task`);
    await runner.query(`DROP TABLE waits`);
    await runner.query(`DROP INDEX step_executions_path`);
    await runner.query(`
      ALTER TABLE step_executions
        DROP COLUMN path, DROP COLUMN kind, DROP COLUMN frame,
        DROP COLUMN workflow, DROP COLUMN seq, DROP COLUMN meta`);
    await runner.query(`DROP INDEX runs_parent_task`);
    await runner.query(`
      ALTER TABLE runs
        DROP COLUMN parent_run_id, DROP COLUMN parent_task_id,
        DROP COLUMN parent_attempt, DROP COLUMN state`);
  }
}
