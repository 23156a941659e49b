import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the platform's self-watch rules read (docs/alerts.md).
 *
 * dead_letters: one row per message any service (or SDK worker) sent to a `baton.dlq.*`
 * topic, so alert rules can count dead letters over a window
 * (`dead_letters`). The Kafka position is the key: a redelivered message is
 * stored once. `workspace_id` is the dead message's, when it carried one.
 *
 * service_status: the latest report of each service replica
 * (baton.platform.status): ready or not, and its consumer groups' lag.
 */
export class SelfWatch1732435321000 implements MigrationInterface {
  name = 'SelfWatch1732435321000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE dead_letters (
        dlq_topic text NOT NULL,
        dlq_partition int NOT NULL,
        dlq_offset bigint NOT NULL,
        workspace_id text,
        kind text,
        reason text NOT NULL,
        source_topic text,
        dead_at timestamptz NOT NULL,
        PRIMARY KEY (dlq_topic, dlq_partition, dlq_offset)
      )`);
    await runner.query(`CREATE INDEX dead_letters_at ON dead_letters (dead_at)`);
    await runner.query(
      `CREATE INDEX dead_letters_workspace ON dead_letters (workspace_id, dead_at) WHERE workspace_id IS NOT NULL`,
    );
    await runner.query(`
      CREATE TABLE service_status (
        service text NOT NULL,
        instance text NOT NULL,
        ready boolean NOT NULL,
        failing jsonb NOT NULL DEFAULT '[]',
        consumer_lag jsonb NOT NULL DEFAULT '[]',
        max_lag bigint NOT NULL DEFAULT 0,
        reported_at timestamptz NOT NULL,
        PRIMARY KEY (service, instance)
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DROP TABLE service_status`);
    await runner.query(`DROP TABLE dead_letters`);
  }
}
