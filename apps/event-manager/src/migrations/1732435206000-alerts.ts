import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert rules with their current state, the history of their transitions,
 * notification channels, the notifications queue, incidents (the workflow
 * handler `escalate`) and the evaluator's lease (one evaluator across replicas).
 *
 * `notifications` is a durable work queue like `deliveries`: `pending` rows
 * carry their retry timer (`next_attempt_at`) and a lease (`locked_until`);
 * `dedup_key` makes a transition notify each channel at most once.
 */
export class Alerts1732435206000 implements MigrationInterface {
  name = 'Alerts1732435206000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE alert_rules (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        name text NOT NULL,
        condition text NOT NULL,
        notification_channels text[] NOT NULL,
        severity text NOT NULL,
        for_text text,
        for_ms bigint NOT NULL DEFAULT 0,
        window_text text NOT NULL,
        window_ms bigint NOT NULL,
        scope jsonb,
        description text,
        state text NOT NULL DEFAULT 'ok',
        state_since timestamptz,
        silenced_until timestamptz,
        last_evaluated_at timestamptz,
        last_values jsonb NOT NULL DEFAULT '{}',
        -- Bumped by every change: an evaluation of an older revision is not recorded.
        revision int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, name)
      )`);
    await runner.query(`
      CREATE TABLE alert_history (
        id bigserial PRIMARY KEY,
        rule_id uuid NOT NULL REFERENCES alert_rules (id) ON DELETE CASCADE,
        workspace_id text NOT NULL,
        from_state text NOT NULL,
        to_state text NOT NULL,
        at timestamptz NOT NULL DEFAULT now(),
        values jsonb NOT NULL,
        event_id text NOT NULL
      )`);
    await runner.query(`CREATE INDEX alert_history_rule ON alert_history (rule_id, id)`);
    await runner.query(`
      CREATE TABLE notification_channels (
        workspace_id text NOT NULL,
        name text NOT NULL,
        kind text NOT NULL,
        admin boolean NOT NULL DEFAULT false,
        target jsonb NOT NULL,
        secrets text,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name)
      )`);
    await runner.query(`
      CREATE TABLE notifications (
        id bigserial PRIMARY KEY,
        workspace_id text NOT NULL,
        channel text NOT NULL,
        dedup_key text NOT NULL,
        history_id bigint REFERENCES alert_history (id) ON DELETE CASCADE,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        sent_at timestamptz,
        UNIQUE (workspace_id, dedup_key)
      )`);
    await runner.query(
      `CREATE INDEX notifications_pending ON notifications (next_attempt_at) WHERE status = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX notifications_channel ON notifications (workspace_id, channel, status)`,
    );
    await runner.query(`CREATE INDEX notifications_history ON notifications (history_id)`);
    await runner.query(`
      CREATE TABLE incidents (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        source_event_id text NOT NULL,
        source text NOT NULL,
        title text NOT NULL,
        severity text NOT NULL,
        status text NOT NULL DEFAULT 'open',
        run_id text,
        step text,
        error jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, source_event_id)
      )`);
    await runner.query(`CREATE INDEX incidents_workspace ON incidents (workspace_id, created_at)`);
    await runner.query(`
      CREATE TABLE alert_evaluator_lease (
        id int PRIMARY KEY,
        holder text NOT NULL,
        until timestamptz NOT NULL
      )`);
    await runner.query(
      `INSERT INTO alert_evaluator_lease (id, holder, until) VALUES (1, '', 'epoch')`,
    );
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'alert_evaluator_lease',
      'incidents',
      'notifications',
      'notification_channels',
      'alert_history',
      'alert_rules',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
  }
}
