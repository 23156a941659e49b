import { PLATFORM_TOPICS } from '@baton/contracts';
import { BatonKafka, type TopicSpec } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  Optional,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { BaseEnv } from '../env';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';

/** The topics a feature's own records say must exist (its agents' task topics, say). */
export type DesiredTopics = () => Promise<TopicSpec[]>;

/** Remembers the cluster across restarts (libs/database provides it under this token). */
export interface ClusterMemory {
  load(): Promise<string | undefined>;
  save(clusterId: string): Promise<void>;
}
const KAFKA_CLUSTER_MEMORY = Symbol.for('baton.kafka-cluster-memory');

/** Work to re-drive when the broker's data is not what it was (a new cluster id). */
export type NewClusterHook = (previous: string, current: string) => Promise<void>;

const recreated = new Counter({
  name: 'baton_kafka_topics_recreated_total',
  help: 'Topics this service found missing and created again',
});

/**
 * Keeps the cluster in line with what the service's database says should
 * exist: at start and every TOPIC_RECONCILE_INTERVAL_MS it creates the
 * platform topics and each feature's topics that are missing (a topic deleted
 * by hand, a broker whose data was wiped), logs and counts them. It never
 * deletes a topic. When the cluster id changes it runs the features' hooks,
 * so that work Postgres says is in flight is sent again.
 */
@Injectable()
export class TopicReconciler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly sources = new Map<string, DesiredTopics>([
    ['platform', async () => PLATFORM_TOPICS],
  ]);
  private readonly hooks: NewClusterHook[] = [];
  private clusterId?: string;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;

  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(BaseEnv) private readonly env: BaseEnv,
    @Optional() @Inject(KAFKA_CLUSTER_MEMORY) private readonly memory?: ClusterMemory,
  ) {}

  addSource(name: string, desired: DesiredTopics): void {
    this.sources.set(name, desired);
  }

  onNewCluster(hook: NewClusterHook): void {
    this.hooks.push(hook);
  }

  onApplicationBootstrap(): void {
    const everyMs = this.env.TOPIC_RECONCILE_INTERVAL_MS ?? 15_000;
    void this.reconcileNow();
    this.timer = setInterval(() => void this.reconcileNow(), everyMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  /** One pass; a pass already under way is shared. Failures are logged, never thrown. */
  reconcileNow(): Promise<void> {
    this.pass ??= this.reconcile()
      .catch((error: Error) =>
        this.logger.warn({ err: { message: error.message } }, 'topic reconciliation failed'),
      )
      .finally(() => {
        this.pass = undefined;
      });
    return this.pass;
  }

  private async reconcile(): Promise<void> {
    const clusterId = await this.kafka.clusterId();
    const created = await this.kafka.reconcileTopics(await this.desiredTopics());
    if (created.length > 0) {
      recreated.inc(created.length);
      this.logger.warn({ topics: created }, 'created missing topics');
    }
    // Remembered in Postgres where the service has it: a service started against a
    // new cluster notices too, not only one that was running when it changed.
    const previous = this.clusterId ?? (await this.memory?.load());
    if (previous !== undefined && previous !== clusterId) {
      this.logger.warn(
        { previous, current: clusterId },
        'Kafka cluster changed: its data is not what it was; re-driving work in flight',
      );
      // The id is kept only once every hook ran, so a failed hook runs again next pass.
      for (const hook of this.hooks) await hook(previous, clusterId);
    }
    if (previous !== clusterId) await this.memory?.save(clusterId);
    this.clusterId = clusterId;
  }

  /** Every source's topics; a source that fails (its database away) is skipped this pass. */
  private async desiredTopics(): Promise<TopicSpec[]> {
    const lists = await Promise.all(
      [...this.sources].map(([name, desired]) =>
        desired().catch((error: Error) => {
          this.logger.warn(
            { source: name, err: { message: error.message } },
            'could not list the topics a feature needs',
          );
          return [];
        }),
      ),
    );
    return lists.flat();
  }
}
