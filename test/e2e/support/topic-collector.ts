import { randomUUID } from 'node:crypto';
import type { Consumer, IHeaders } from 'kafkajs';
import { kafka } from './platform';

export interface CollectedMessage {
  key: string | null;
  value: string;
  headers: Record<string, string>;
  partition: number;
}

/** Reads a topic from its beginning into memory, as any outside Kafka consumer would. */
export class TopicCollector {
  readonly messages: CollectedMessage[] = [];
  private consumer?: Consumer;

  constructor(readonly topic: string) {}

  async start(): Promise<this> {
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
    await joined;
    return this;
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
