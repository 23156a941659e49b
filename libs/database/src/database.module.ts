import { Topics } from '@baton/contracts';
import { BatonKafka, configureConsumers } from '@baton/kafka';
import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { TypeOrmModule, getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { DatabaseOptions, DatabaseSettings } from './database-options';
import { KAFKA_CLUSTER_MEMORY, KafkaClusterMemory } from './kafka-cluster-memory';
import { OutboxRelay } from './outbox-relay';
import { PostgresAttemptLedger } from './postgres-attempt-ledger';
import { allMigrations } from './run-migrations';
import { ensureSchema } from './schema-bootstrap';
import { UnitOfWork } from './unit-of-work';
import { LOGGER, type PinoLike } from '@baton/telemetry';

export type { DatabaseOptions, DatabaseSettings } from './database-options';

class OutboxLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(@Inject(OutboxRelay) private readonly relay: OutboxRelay) {}

  onApplicationBootstrap(): void {
    this.relay.start();
  }

  /** After consumers stopped (onModuleDestroy), publish what they committed, then stop. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.relay.stop();
  }
}

@Module({})
export class DatabaseModule {
  static forService(options: DatabaseOptions, settings: DatabaseSettings): DynamicModule {
    return {
      module: DatabaseModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            type: 'postgres' as const,
            url: settings.DATABASE_URL,
            schema: options.schema,
            entities: options.entities,
            migrations: allMigrations(options),
            migrationsRun: true,
            migrationsTableName: 'migrations',
            // Unqualified names in migrations and raw queries resolve to the service's schema.
            // No JIT: services run short OLTP statements, and a poll whose row estimate
            // is off (the delivery dispatcher's, on empty tables) was JIT-compiled on
            // every run, 5-12 ms of CPU for a statement that executes in 0.1 ms.
            extra: {
              max: settings.DATABASE_POOL_SIZE ?? 10,
              options: `-c search_path=${options.schema} -c jit=off`,
            },
            retryAttempts: 3,
            retryDelay: 1000,
          }),
          dataSourceFactory: async (dataSourceOptions) => {
            const url = (dataSourceOptions as { url: string }).url;
            await ensureSchema(url, options.schema);
            return new DataSource(dataSourceOptions!).initialize();
          },
        }),
      ],
      providers: [
        {
          provide: OutboxRelay,
          inject: [getDataSourceToken(), BatonKafka, LOGGER],
          useFactory: (dataSource: DataSource, kafka: BatonKafka, logger: PinoLike) =>
            new OutboxRelay(dataSource, kafka, {
              schema: options.schema,
              // Each service's schema is its name in snake case (workflow_engine).
              dlqTopic: Topics.dlq(options.schema.replace(/_/g, '-')),
              missingTopicGraceMs: settings.OUTBOX_MISSING_TOPIC_GRACE_MS,
              log: (level, message, extra) => logger[level](extra, message),
            }),
        },
        {
          provide: UnitOfWork,
          inject: [getDataSourceToken(), OutboxRelay],
          useFactory: (dataSource: DataSource, relay: OutboxRelay) =>
            new UnitOfWork(dataSource, relay, options.schema.replace(/_/g, '-')),
        },
        {
          provide: KAFKA_CLUSTER_MEMORY,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource) => new KafkaClusterMemory(dataSource),
        },
        OutboxLifecycle,
        {
          // Built when the module is, before any consumer starts (in onModuleInit):
          // every consumer of the service then records its suspects' attempts.
          provide: PostgresAttemptLedger,
          inject: [getDataSourceToken(), BatonKafka],
          useFactory: (dataSource: DataSource, kafka: BatonKafka) => {
            const ledger = new PostgresAttemptLedger(dataSource);
            configureConsumers(kafka, { ledger });
            return ledger;
          },
        },
      ],
      exports: [OutboxRelay, UnitOfWork, KAFKA_CLUSTER_MEMORY],
    };
  }
}
