import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where a service's consumers record, before they handle a partition's
 * suspect messages after a restart, which ones they are about to handle: one
 * row per consumer group and partition, overwritten, so it never grows.
 */
export class ConsumerAttempts1732435316000 implements MigrationInterface {
  name = 'ConsumerAttempts1732435316000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE consumer_attempts (
        group_id text NOT NULL,
        topic text NOT NULL,
        partition integer NOT NULL,
        from_offset bigint NOT NULL,
        to_offset bigint NOT NULL,
        attempts integer NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (group_id, topic, partition)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE consumer_attempts`);
  }
}
