import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The id of the Kafka cluster the service last wrote to: a service that
 * starts against a different one (a wiped broker, a new cluster) re-drives
 * the work its records say is in flight (ADR 0017).
 */
export class KafkaCluster1732435400000 implements MigrationInterface {
  name = 'KafkaCluster1732435400000';

  async up(runner: QueryRunner): Promise<void> {
    await runner.query(`
      CREATE TABLE kafka_cluster (
        singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
        cluster_id text NOT NULL,
        seen_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query('DROP TABLE kafka_cluster');
  }
}
