import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Subscriptions, routes, transforms, the deliveries they cause, replays and
 * retention policies.
 *
 * `deliveries` is both the durable work queue (status `pending`, with its
 * retry timer in `next_attempt_at` and a lease in `locked_until`) and the
 * history that shows what each event matched. A channel is one subscription
 * (`sub:<id>`) or one destination of a route (`route:<id>:<index>`); a lane
 * is one subject within a channel, delivered strictly in id order.
 */
export class EventRouting1732435204000 implements MigrationInterface {
  name = 'EventRouting1732435204000';

  async up(runner: QueryRunner): Promise<void> {
    // Arrival order: replay cursors and delivery order follow it. Filled in
    // insert order, which is Kafka offset order within a fetched batch.
    await runner.query(`ALTER TABLE events ADD COLUMN seq bigserial NOT NULL`);
    await runner.query(`CREATE INDEX events_seq ON events (workspace_id, seq)`);
    // Cheaper ingest (bench/README.md): seq replaces received_at as the listing
    // and retention order, and data is read out of the envelope instead of
    // being stored twice.
    await runner.query(`DROP INDEX events_received`);
    await runner.query(`ALTER TABLE events DROP COLUMN data`);
    // An event sent without a correlation id is its own correlation: the
    // primary key finds it, so only the others need this index.
    await runner.query(`DROP INDEX events_correlation`);
    await runner.query(
      `CREATE INDEX events_correlation ON events (workspace_id, correlation_id) WHERE correlation_id <> id`,
    );
    await runner.query(`
      CREATE TABLE transforms (
        workspace_id text NOT NULL,
        name text NOT NULL,
        expression text NOT NULL,
        description text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workspace_id, name)
      )`);
    await runner.query(`
      CREATE TABLE subscriptions (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        name text,
        events text[] NOT NULL,
        filter text,
        destination jsonb NOT NULL,
        secret text,
        status text NOT NULL DEFAULT 'active',
        max_attempts int NOT NULL,
        initial_delay_ms int NOT NULL,
        max_delay_ms int NOT NULL,
        idempotency_key text,
        delivered_count bigint NOT NULL DEFAULT 0,
        failure_count bigint NOT NULL DEFAULT 0,
        dead_count bigint NOT NULL DEFAULT 0,
        last_delivery_at timestamptz,
        last_error text,
        last_error_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`CREATE INDEX subscriptions_workspace ON subscriptions (workspace_id, id)`);
    await runner.query(
      `CREATE UNIQUE INDEX subscriptions_name ON subscriptions (workspace_id, name) WHERE name IS NOT NULL`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX subscriptions_idempotency ON subscriptions (workspace_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE routes (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        name text NOT NULL,
        position int NOT NULL,
        events text[] NOT NULL,
        source text,
        filter text,
        transform text,
        destinations jsonb NOT NULL,
        on_match text NOT NULL,
        secret text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, name)
      )`);
    await runner.query(`
      CREATE TABLE deliveries (
        id bigserial PRIMARY KEY,
        workspace_id text NOT NULL,
        channel text NOT NULL,
        subscription_id uuid,
        route_id uuid,
        destination int,
        event_id text NOT NULL,
        lane text NOT NULL,
        replay_id uuid,
        status text NOT NULL DEFAULT 'pending',
        attempts int NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX deliveries_pending ON deliveries (channel, id) WHERE status = 'pending'`,
    );
    await runner.query(
      `CREATE INDEX deliveries_dead ON deliveries (channel, id) WHERE status = 'dead'`,
    );
    await runner.query(`CREATE INDEX deliveries_event ON deliveries (workspace_id, event_id)`);
    await runner.query(
      `CREATE INDEX deliveries_replay ON deliveries (replay_id, status) WHERE replay_id IS NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE replays (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        filter jsonb NOT NULL,
        target jsonb NOT NULL,
        rate_limit int,
        dry_run boolean NOT NULL DEFAULT false,
        status text NOT NULL DEFAULT 'running',
        error text,
        cursor bigint NOT NULL DEFAULT 0,
        upper_seq bigint NOT NULL,
        total bigint,
        processed bigint NOT NULL DEFAULT 0,
        deliveries_created bigint NOT NULL DEFAULT 0,
        published bigint NOT NULL DEFAULT 0,
        idempotency_key text,
        locked_until timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz
      )`);
    await runner.query(
      `CREATE INDEX replays_running ON replays (created_at) WHERE status = 'running'`,
    );
    await runner.query(
      `CREATE UNIQUE INDEX replays_idempotency ON replays (workspace_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE retention_policies (
        id uuid PRIMARY KEY,
        workspace_id text NOT NULL,
        type text NOT NULL,
        max_age text NOT NULL,
        max_age_ms bigint NOT NULL,
        deleted bigint NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (workspace_id, type)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    for (const table of [
      'retention_policies',
      'replays',
      'deliveries',
      'routes',
      'subscriptions',
      'transforms',
    ]) {
      await runner.query(`DROP TABLE ${table}`);
    }
    await runner.query(`DROP INDEX events_correlation`);
    await runner.query(`CREATE INDEX events_correlation ON events (workspace_id, correlation_id)`);
    await runner.query(`ALTER TABLE events ADD COLUMN data jsonb`);
    await runner.query(`UPDATE events SET data = NULLIF(envelope -> 'data', 'null'::jsonb)`);
    await runner.query(`CREATE INDEX events_received ON events (workspace_id, received_at, id)`);
    await runner.query(`ALTER TABLE events DROP COLUMN seq`);
  }
}
