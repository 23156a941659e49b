import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders } from 'kafkajs';
import { kafka } from './platform';

export interface CollectedMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  partition: number;
}

/**
 * Reads a topic into memory, as any outside Kafka consumer would: from its
 * beginning, or with `from: 'now'` from its end as it is when the collector
 * starts. A shared platform topic (baton.workflow.results) holds everything
 * earlier suites and benchmarks put there, more than a test can read in time.
 */
export class TopicCollector {
  readonly messages: CollectedMessage[] = [];
  private consumer?: Consumer;

  constructor(
    readonly topic: string,
    private readonly options: { from: 'beginning' | 'now' } = { from: 'beginning' },
  ) {}

  async start(): Promise<this> {
    const ends = this.options.from === 'now' ? await this.currentEnds() : [];
    const consumer = kafka(`e2e-collector-${randomUUID()}`).consumer({
      groupId: `e2e-collector-${randomUUID()}`,
      maxWaitTimeInMs: 100,
    });
    this.consumer = consumer;
    const joined = new Promise<void>((resolve) =>
      consumer.on(consumer.events.GROUP_JOIN, () => resolve()),
    );
    await consumer.connect();
    await consumer.subscribe({ topic: this.topic, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message, partition }) => {
        this.messages.push({
          key: message.key?.toString() ?? null,
          value: message.value?.toString() ?? '',
          headers: headersOf(message.headers),
          partition,
        });
      },
    });
    // Applied at the first fetch: nothing written after currentEnds() is missed.
    for (const { partition, offset } of ends)
      consumer.seek({ topic: this.topic, partition, offset });
    await joined;
    return this;
  }

  private async currentEnds(): Promise<{ partition: number; offset: string }[]> {
    const admin = kafka(`e2e-collector-admin-${randomUUID()}`).admin();
    await admin.connect();
    try {
      return (await admin.fetchTopicOffsets(this.topic)).map(({ partition, high }) => ({
        partition,
        offset: high,
      }));
    } finally {
      await admin.disconnect();
    }
  }

  json<T = Record<string, unknown>>(): (T & { headers: Record<string, string> })[] {
    return this.messages.map((m) => ({ ...(JSON.parse(m.value) as T), headers: m.headers }));
  }

  async stop(): Promise<void> {
    await this.consumer?.disconnect();
  }
}

function headersOf(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    const first = Array.isArray(value) ? value[0] : value;
    out[name] = Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
  }
  return out;
}
