import { DataSource } from 'typeorm';
import type { DatabaseOptions } from './database-options';
import { ConsumerAttempts1732435316000 } from './consumer-attempts.migration';
import { OutboxBatches1732435300000 } from './outbox-batches.migration';
import { KafkaCluster1732435400000 } from './kafka-cluster.migration';
import { OutboxInbox1732435200000 } from './outbox-inbox.migration';
import { ensureSchema } from './schema-bootstrap';

/**
 * The migrations every service runs: the shared outbox/inbox first, then its
 * own; later shared ones carry timestamps after every service's, and TypeORM
 * applies migrations in timestamp order.
 */
export function allMigrations(options: DatabaseOptions): DatabaseOptions['migrations'] {
  return [
    OutboxInbox1732435200000,
    ...options.migrations,
    OutboxBatches1732435300000,
    KafkaCluster1732435400000,
    ConsumerAttempts1732435316000,
  ];
}

/**
 * Applies a service's pending migrations without starting the service
 * (`npm run migrate`); services also apply them at start.
 */
export async function runMigrations(url: string, options: DatabaseOptions): Promise<string[]> {
  await ensureSchema(url, options.schema);
  const dataSource = new DataSource({
    type: 'postgres',
    url,
    schema: options.schema,
    entities: options.entities,
    migrations: allMigrations(options),
    migrationsTableName: 'migrations',
    extra: { options: `-c search_path=${options.schema}` },
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
