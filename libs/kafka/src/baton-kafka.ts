import { Headers } from '@baton/contracts';
import {
  CompressionTypes,
  Kafka,
  logLevel,
  type Admin,
  type ITopicConfig,
  type Producer,
} from 'kafkajs';
import { fixKafkajsIdleTimer } from './kafkajs-idle-timer-fix';
import { kafkaLogCreator } from './kafka-log';
import type { OutgoingMessage } from './outgoing-message';
import { SendCoalescer } from './send-coalescer';
import { injectTraceHeaders } from './trace-context';

export interface BatonKafkaOptions {
  brokers: string[];
  clientId: string;
  log?: (level: 'error' | 'warn' | 'info' | 'debug', message: string, extra: object) => void;
}

interface ProducerRecord {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

/** The Kafka record of an envelope: its type, workspace and trace also travel as headers. */
function toRecord(message: OutgoingMessage): ProducerRecord {
  const headers: Record<string, string> = {
    [Headers.messageType]: message.envelope.type,
    [Headers.workspace]: message.envelope.workspaceid,
    ...(message.envelope.traceparent ? { traceparent: message.envelope.traceparent } : {}),
    ...message.headers,
  };
  if (!headers.traceparent) injectTraceHeaders(headers);
  return {
    topic: message.topic,
    key: message.key,
    value: JSON.stringify(message.envelope),
    headers,
  };
}

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** e.g. { 'retention.ms': '3600000' } */
  config?: Record<string, string>;
}

/**
 * The only place that knows kafkajs' producer and admin APIs, so a faster client
 * can replace it without touching the services.
 */
export class BatonKafka {
  readonly kafka: Kafka;
  private producer?: Producer;
  private admin?: Admin;
  private readonly knownTopics = new Set<string>();
  private readonly coalescer = new SendCoalescer<ProducerRecord>((records) =>
    this.sendRecords(records),
  );

  constructor(readonly options: BatonKafkaOptions) {
    fixKafkajsIdleTimer();
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      logLevel: logLevel.WARN,
      logCreator: kafkaLogCreator(options.log ?? (() => undefined)),
      retry: { initialRetryTime: 100, retries: 8 },
    });
  }

  async connect(): Promise<void> {
    this.producer = await this.newProducer();
    this.admin = this.kafka.admin();
    await this.admin.connect();
  }

  private async newProducer(): Promise<Producer> {
    // Idempotent producer: a retried send is written once, in order (acks=all is implied).
    const producer = this.kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    return producer;
  }

  async disconnect(): Promise<void> {
    await this.producer?.disconnect();
    await this.admin?.disconnect();
    this.producer = undefined;
    this.admin = undefined;
  }

  /**
   * Publishes envelopes; resolves when the broker acked them (acks=all).
   * Concurrent calls share requests (see SendCoalescer).
   */
  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    this.requireProducer();
    await this.coalescer.submit(messages.map((message) => toRecord(message)));
  }

  private async sendRecords(records: ProducerRecord[]): Promise<void> {
    const byTopic = new Map<string, Omit<ProducerRecord, 'topic'>[]>();
    for (const { topic, ...record } of records) {
      const list = byTopic.get(topic) ?? [];
      list.push(record);
      byTopic.set(topic, list);
    }
    const send = () =>
      this.requireProducer().sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
    try {
      await send();
    } catch (error) {
      if (!(await this.forgetDeletedTopics(error, [...byTopic.keys()]))) throw error;
      await send();
    }
  }

  /**
   * kafkajs asks the broker about every topic a producer ever wrote to each
   * time it meets a new one, and fails the whole request when one of them was
   * deleted meanwhile (by an operator, say): from then on every send to a new
   * topic fails. When a send fails so and all of its own topics exist, a fresh
   * producer, which knows none of the old ones, replaces this one. Returns
   * whether it did, so that the send is tried once more.
   */
  private async forgetDeletedTopics(error: unknown, topics: string[]): Promise<boolean> {
    if (!isUnknownTopic(error)) return false;
    const existing = new Set(await this.requireAdmin().listTopics());
    if (!topics.every((topic) => existing.has(topic))) return false;
    const stale = this.requireProducer();
    this.producer = await this.newProducer();
    await stale.disconnect().catch(() => undefined);
    this.options.log?.('warn', 'a topic this service wrote to was deleted; producer replaced', {
      topics,
    });
    return true;
  }

  /** Sends raw bytes as they came (dead-lettering keeps the original message intact). */
  async publishRaw(
    topic: string,
    key: Buffer | string | null,
    value: Buffer | string | null,
    headers: Record<string, string | Buffer>,
  ): Promise<void> {
    await this.requireProducer().send({ topic, acks: -1, messages: [{ key, value, headers }] });
  }

  /**
   * Sends already-encoded messages (any value, any headers), grouped per topic,
   * in requests of at most ~512 KiB: the broker refuses a record batch over
   * its message.max.bytes (1 MiB by default). Requests go one after another,
   * so order within a topic-partition is the array order.
   */
  async publishRawBatch(
    messages: { topic: string; key: string; value: string; headers: Record<string, string> }[],
  ): Promise<void> {
    const producer = this.requireProducer();
    for (const chunk of chunksOf(messages, RAW_BATCH_BYTES)) {
      const byTopic = new Map<
        string,
        { key: string; value: string; headers: Record<string, string> }[]
      >();
      for (const { topic, ...message } of chunk) {
        const list = byTopic.get(topic) ?? [];
        list.push(message);
        byTopic.set(topic, list);
      }
      await producer.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({ topic, messages: list })),
      });
    }
  }

  /** Creates missing topics; Baton runs with broker auto-creation off so partitions are chosen here. */
  async ensureTopics(specs: TopicSpec[]): Promise<void> {
    const admin = this.requireAdmin();
    const missing = specs.filter((s) => !this.knownTopics.has(s.topic));
    if (missing.length === 0) return;
    const existing = new Set(await admin.listTopics());
    const toCreate: ITopicConfig[] = missing
      .filter((s) => !existing.has(s.topic))
      .map((s) => ({
        topic: s.topic,
        numPartitions: s.partitions,
        replicationFactor: -1,
        configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
      }));
    if (toCreate.length > 0) {
      try {
        await admin.createTopics({ topics: toCreate, waitForLeaders: true });
      } catch (error) {
        // Another service may have created the same topic a moment ago.
        if (!String((error as Error).message).includes('already exists')) throw error;
      }
    }
    for (const spec of missing) this.knownTopics.add(spec.topic);
  }

  async topicExists(topic: string): Promise<boolean> {
    return (await this.requireAdmin().listTopics()).includes(topic);
  }

  async deleteTopics(topics: string[]): Promise<void> {
    await this.requireAdmin().deleteTopics({ topics });
    for (const topic of topics) this.knownTopics.delete(topic);
  }

  /** Health probe: the cluster answers metadata within the timeout. */
  async ping(timeoutMs = 3000): Promise<void> {
    const admin = this.requireAdmin();
    await Promise.race([
      admin.describeCluster(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error('Kafka did not answer')), timeoutMs).unref(),
      ),
    ]);
  }

  private requireProducer(): Producer {
    if (!this.producer) throw new Error('Kafka producer is not connected');
    return this.producer;
  }

  private requireAdmin(): Admin {
    if (!this.admin) throw new Error('Kafka admin is not connected');
    return this.admin;
  }
}

const RAW_BATCH_BYTES = 512 * 1024;

/** Whether kafkajs failed (after its retries) because the broker does not know a topic. */
function isUnknownTopic(error: unknown): boolean {
  for (let e = error as { type?: string; cause?: unknown } | undefined; e;) {
    if (e.type === 'UNKNOWN_TOPIC_OR_PARTITION') return true;
    e = e.cause as typeof e;
  }
  return false;
}

/** Splits messages into runs whose encoded size stays under `limit` (a lone larger one goes alone). */
function chunksOf<T extends { key: string; value: string; headers: Record<string, string> }>(
  messages: T[],
  limit: number,
): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const message of messages) {
    let bytes = Buffer.byteLength(message.value) + Buffer.byteLength(message.key) + 32;
    for (const [name, value] of Object.entries(message.headers))
      bytes += name.length + value.length + 8;
    if (current.length > 0 && size + bytes > limit) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(message);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
