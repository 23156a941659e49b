import { BatonKafka } from '@baton/kafka';
import { gauge } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Admin } from 'kafkajs';
import { Readiness } from './readiness';

/** A scrape at most this often asks the broker; scrapes in between see the last figures. */
const REFRESH_MS = 10_000;

export interface Lag {
  group: string;
  topic: string;
  messages: number;
}

/**
 * baton_kafka_consumer_lag_messages{group,topic}: messages on each topic a
 * service's consumer groups read that the group has not committed yet, read
 * from the broker at scrape time (two requests per group and topic, at most
 * every 10 s). A lag that keeps growing means a service no longer keeps up
 * (deploy/observability/prometheus/alerts.yml). Pattern subscriptions (the
 * per-workspace ingress topics) are left out: their topics are not known here.
 */
@Injectable()
export class ConsumerLagMetrics implements OnModuleDestroy {
  private admin?: Admin;
  private last: Lag[] = [];
  private readAt = 0;

  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {
    const lags = () => this.lags();
    gauge({
      name: 'baton_kafka_consumer_lag_messages',
      help: 'Messages a consumer group has not committed yet, per topic',
      labelNames: ['group', 'topic'],
      async collect() {
        const found = await lags();
        this.reset();
        for (const lag of found) this.set({ group: lag.group, topic: lag.topic }, lag.messages);
      },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  /** The service's consumer lag per group and topic (from the broker at most every 10 s). */
  async lags(): Promise<Lag[]> {
    if (Date.now() - this.readAt < REFRESH_MS) return this.last;
    this.readAt = Date.now();
    const wanted = this.readiness
      .consumers()
      .flatMap((consumer) =>
        (consumer.spec?.topics ?? [])
          .filter((topic): topic is string => typeof topic === 'string')
          .map((topic) => ({ group: consumer.spec!.groupId, topic })),
      );
    try {
      if (!this.admin) {
        this.admin = this.kafka.kafka.admin();
        await this.admin.connect();
      }
      const admin = this.admin;
      const found = await Promise.all(
        wanted.map(({ group, topic }) => lagOf(admin, group, topic).catch(() => undefined)),
      );
      this.last = found.filter((lag): lag is Lag => lag !== undefined);
    } catch {
      // The broker is away: the last figures stand until it answers again.
    }
    return this.last;
  }
}

async function lagOf(admin: Admin, group: string, topic: string): Promise<Lag> {
  const [ends, committed] = await Promise.all([
    admin.fetchTopicOffsets(topic),
    admin.fetchOffsets({ groupId: group, topics: [topic] }),
  ]);
  const done = new Map(
    (committed[0]?.partitions ?? []).map((p) => [p.partition, Number(p.offset)]),
  );
  const messages = ends.reduce((sum, p) => {
    const position = done.get(p.partition) ?? -1;
    // A group that never committed on a partition has read nothing of what is there.
    return sum + Number(p.high) - (position < 0 ? Number(p.low) : position);
  }, 0);
  return { group, topic, messages };
}
