import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * One outbox row per transaction instead of one per message. A decision of
 * the workflow engine publishes four or five messages per step (the task and
 * the run's events), and under load the per-message rows were the largest
 * share of Postgres' writes: each was inserted, indexed, deleted and vacuumed.
 * Rows waiting to be sent are carried over, in order.
 */
export class OutboxBatches1732435300000 implements MigrationInterface {
  name = 'OutboxBatches1732435300000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox_batches (
        id bigserial PRIMARY KEY,
        messages jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      INSERT INTO outbox_batches (messages, created_at)
      SELECT jsonb_build_array(jsonb_build_object(
               'topic', topic, 'key', key, 'envelope', envelope, 'headers', headers)),
             created_at
        FROM outbox ORDER BY id`);
    await runner.query(`DROP TABLE outbox`);
    await runner.query(`ALTER TABLE outbox_batches RENAME TO outbox`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox_messages (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        key text NOT NULL,
        envelope jsonb NOT NULL,
        headers jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      INSERT INTO outbox_messages (topic, key, envelope, headers, created_at)
      SELECT m->>'topic', m->>'key', m->'envelope', m->'headers', o.created_at
        FROM outbox o, jsonb_array_elements(o.messages) m ORDER BY o.id`);
    await runner.query(`DROP TABLE outbox`);
    await runner.query(`ALTER TABLE outbox_messages RENAME TO outbox`);
  }
}
