import type { DataSource } from 'typeorm';

/** The token TopicReconciler (service-kit) looks for; services without a database have none. */
export const KAFKA_CLUSTER_MEMORY = Symbol.for('baton.kafka-cluster-memory');

/** Remembers across restarts which Kafka cluster this service last saw. */
export class KafkaClusterMemory {
  constructor(private readonly dataSource: DataSource) {}

  async load(): Promise<string | undefined> {
    const rows = (await this.dataSource.query('SELECT cluster_id FROM kafka_cluster')) as {
      cluster_id: string;
    }[];
    return rows[0]?.cluster_id;
  }

  async save(clusterId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO kafka_cluster (cluster_id) VALUES ($1)
       ON CONFLICT (singleton) DO UPDATE SET cluster_id = EXCLUDED.cluster_id, seen_at = now()`,
      [clusterId],
    );
  }
}
