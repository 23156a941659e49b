import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Triggers, run operations (pause/resume/cancel/retry) and what a run was started by. */
export class WorkflowOps1732435202000 implements MigrationInterface {
  name = 'WorkflowOps1732435202000';

  async up(runner: QueryRunner): Promise<void> {
    // `${trigger}` of a run started by an event or a schedule; paused_at stops the run's clock.
    await runner.query(`ALTER TABLE runs ADD COLUMN trigger jsonb`);
    await runner.query(`ALTER TABLE runs ADD COLUMN paused_at timestamptz`);
    // The trigger of each workflow's ACTIVE version, kept in step with activation, so an
    // event or a due schedule finds its workflows by index instead of reading definitions.
    await runner.query(`
      CREATE TABLE workflow_triggers (
        workspace_id text NOT NULL,
        workflow text NOT NULL,
        version int NOT NULL,
        kind text NOT NULL,
        event_type text,
        cron text,
        timezone text,
        next_fire_at timestamptz,
        -- Since when this event type starts the workflow: older events never do.
        active_since timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, workflow)
      )`);
    await runner.query(
      `CREATE INDEX workflow_triggers_event ON workflow_triggers (workspace_id, event_type) WHERE kind = 'event'`,
    );
    await runner.query(
      `CREATE INDEX workflow_triggers_due ON workflow_triggers (next_fire_at) WHERE kind = 'schedule'`,
    );
    // Workflows stored before this migration: event triggers are copied; schedules get
    // a NULL fire time, which the poller computes on its first pass without firing.
    await runner.query(`
      INSERT INTO workflow_triggers (workspace_id, workflow, version, kind, event_type, cron, timezone)
      SELECT w.workspace_id, w.name, w.active_version, v.definition->'trigger'->>'kind',
             v.definition->'trigger'->>'eventType', v.definition->'trigger'->>'cron',
             v.definition->'trigger'->>'timezone'
        FROM workflows w
        JOIN workflow_versions v
          ON v.workspace_id = w.workspace_id AND v.name = w.name AND v.version = w.active_version
       WHERE v.definition->'trigger'->>'kind' IN ('event', 'schedule')`);
    // What reached a paused run, held until it resumes (see runs/store/held-work.repository.ts).
    await runner.query(`
      CREATE TABLE held_results (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL,
        envelope jsonb NOT NULL,
        held_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX held_results_run ON held_results (run_id, id)`);
    await runner.query(`
      CREATE TABLE held_timers (
        id bigserial PRIMARY KEY,
        run_id uuid NOT NULL,
        kind text NOT NULL,
        fire_at timestamptz NOT NULL,
        payload jsonb NOT NULL
      )`);
    await runner.query(`CREATE INDEX held_timers_run ON held_timers (run_id)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE held_timers`);
    await runner.query(`DROP TABLE held_results`);
    await runner.query(`DROP TABLE workflow_triggers`);
    await runner.query(`ALTER TABLE runs DROP COLUMN paused_at`);
    await runner.query(`ALTER TABLE runs DROP COLUMN trigger`);
  }
}
