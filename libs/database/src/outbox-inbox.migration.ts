import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The outbox (messages written in the same transaction as the state change that
 * caused them) and the inbox (ids of messages already handled, so redeliveries
 * are no-ops). Every service's first migration.
 */
export class OutboxInbox1732435200000 implements MigrationInterface {
  name = 'OutboxInbox1732435200000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        topic text NOT NULL,
        key text NOT NULL,
        envelope jsonb NOT NULL,
        headers jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await runner.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        message_id text NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, message_id)
      )`);
    await runner.query(`CREATE INDEX inbox_processed_at ON inbox (processed_at)`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE inbox`);
    await runner.query(`DROP TABLE outbox`);
  }
}
