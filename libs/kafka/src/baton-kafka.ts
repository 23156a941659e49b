import { Headers } from '@baton/contracts';
import {
  CompressionTypes,
  Kafka,
  logLevel,
  type Admin,
  type ITopicConfig,
  type Producer,
} from 'kafkajs';
import { hasErrorType, isUnknownTopic } from './kafka-error-types';
import { fixKafkajsDeletedTopicPositions } from './kafkajs-deleted-topic-fix';
import { fixKafkajsScramDerivation } from './kafkajs-scram-cache-fix';
import { fixKafkajsIdleTimer } from './kafkajs-idle-timer-fix';
import { kafkaLogCreator } from './kafka-log';
import type { KafkaSecurity } from './kafka-security';
import type { OutgoingMessage } from './outgoing-message';
import { SendCoalescer } from './send-coalescer';
import { MAX_REQUEST_BYTES, recordBytes, splitByBytes } from './request-size';
import { MissingTopicError, TopicDirectory } from './topic-directory';
import { injectTraceHeaders } from './trace-context';

export interface BatonKafkaOptions {
  brokers: string[];
  clientId: string;
  /** TLS and SASL (kafkaSecurityFrom); none: PLAINTEXT without authentication. */
  security?: KafkaSecurity;
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
  /** Which topics exist: a send to a missing one fails at once, alone (TopicDirectory). */
  readonly topics = new TopicDirectory(() => this.requireAdmin().listTopics());
  private readonly coalescer = new SendCoalescer<ProducerRecord>(
    (records) => this.sendRecords(records),
    1000,
    (error, record) => !(error instanceof MissingTopicError) || error.topics.includes(record.topic),
  );
  /** Since when every send has failed (undefined while sends succeed): readiness reads it. */
  private failingSince?: number;
  private failuresInARow = 0;

  constructor(readonly options: BatonKafkaOptions) {
    fixKafkajsIdleTimer();
    fixKafkajsDeletedTopicPositions();
    fixKafkajsScramDerivation();
    this.kafka = new Kafka({
      clientId: options.clientId,
      brokers: options.brokers,
      ...options.security,
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
    const producer = this.kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      // A send that cannot complete fails within about 3 s rather than kafkajs'
      // default half minute: every send of this producer waits behind it, and
      // what failed is kept by its caller (an outbox row, a retried message).
      retry: { initialRetryTime: 100, retries: 5, maxRetryTime: 1_000 },
    });
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
    await this.requireTopics(messages.map((message) => message.topic));
    await this.coalescer.submit(messages.map((message) => toRecord(message)));
  }

  /** Throws MissingTopicError naming the topics the cluster lacks (free when all are known). */
  async requireTopics(topics: string[]): Promise<void> {
    if (this.topics.allKnown(topics)) return;
    const missing = await this.topics.missing(topics);
    if (missing.length > 0) throw new MissingTopicError(missing);
  }

  /** How long every send has been failing (0 while sends succeed). */
  deliveryFailingForMs(now = Date.now()): number {
    return this.failingSince === undefined ? 0 : now - this.failingSince;
  }

  private async sendRecords(records: ProducerRecord[]): Promise<void> {
    try {
      await this.sendUnderRequestSize(records);
      this.failingSince = undefined;
      this.failuresInARow = 0;
    } catch (error) {
      if (!(error instanceof MissingTopicError)) {
        this.failingSince ??= Date.now();
        await this.replaceProducerAfterRepeatedFailures(error);
      }
      throw error;
    }
  }

  /**
   * An idempotent producer's id belongs to the cluster that gave it: after the
   * broker's data is wiped (or the cluster is replaced) every send of the old
   * producer is refused, for good. Three failures in a row, or a refusal that
   * names the producer id, and a fresh producer takes over.
   */
  private async replaceProducerAfterRepeatedFailures(error: unknown): Promise<void> {
    this.failuresInARow++;
    if (this.failuresInARow < 3 && !hasErrorType(error, PRODUCER_STATE_ERRORS)) return;
    this.failuresInARow = 0;
    const stale = this.producer;
    try {
      this.producer = await this.newProducer();
    } catch {
      return; // the broker is away: the next failure tries again
    }
    await stale?.disconnect().catch(() => undefined);
    this.options.log?.('warn', 'Kafka sends kept failing; producer replaced', {
      err: { message: (error as Error).message },
    });
  }

  /**
   * One request per run of records under MAX_REQUEST_BYTES, one after the
   * other, so order holds (request-size.ts). A missing topic fails only its
   * own records: the other runs still go, and the topics are named at the end.
   */
  private async sendUnderRequestSize(records: ProducerRecord[]): Promise<void> {
    const missing = new Set<string>();
    for (const run of splitByBytes(records, recordBytes, MAX_REQUEST_BYTES)) {
      try {
        await this.sendRecordsOnce(run);
      } catch (error) {
        if (!(error instanceof MissingTopicError)) throw error;
        for (const topic of error.topics) missing.add(topic);
      }
    }
    if (missing.size > 0) throw new MissingTopicError([...missing]);
  }

  private async sendRecordsOnce(records: ProducerRecord[]): Promise<void> {
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
      if (!isUnknownTopic(error)) throw error;
      const topics = [...byTopic.keys()];
      await this.replaceStaleProducer(topics);
      const missing = await this.topics.missing(topics).catch(() => []);
      if (missing.length === 0) {
        await send();
        return;
      }
      // Some topics are gone: the rest still goes, and only the sends naming
      // the missing ones fail (SendCoalescer's `affects`).
      for (const topic of missing) byTopic.delete(topic);
      if (byTopic.size > 0) await send();
      throw new MissingTopicError(missing);
    }
  }

  /**
   * kafkajs asks the broker about every topic a producer ever wrote to each
   * time it meets a new one, and fails the whole request when one of them was
   * deleted meanwhile (by an operator, say): from then on every send to a new
   * topic fails. A fresh producer, which knows none of the old ones, replaces
   * this one; the directory forgets what was deleted.
   */
  private async replaceStaleProducer(topics: string[]): Promise<void> {
    this.topics.forget(topics);
    await this.topics.refresh().catch(() => undefined);
    const stale = this.requireProducer();
    this.producer = await this.newProducer();
    await stale.disconnect().catch(() => undefined);
    this.options.log?.('warn', 'a topic this service wrote to is gone; producer replaced', {
      topics,
    });
  }

  /** Sends raw bytes as they came (dead-lettering keeps the original message intact). */
  async publishRaw(
    topic: string,
    key: Buffer | string | null,
    value: Buffer | string | null,
    headers: Record<string, string | Buffer>,
  ): Promise<void> {
    await this.requireTopics([topic]);
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
    if (this.topics.allKnown(specs.map((spec) => spec.topic))) return;
    const missing = new Set(await this.topics.missing(specs.map((spec) => spec.topic)));
    await this.createTopics(specs.filter((spec) => missing.has(spec.topic)));
  }

  /**
   * Creates whichever of `specs` the cluster lacks, asking it afresh (not the
   * directory's memory): what reconciliation runs. Returns the topics created.
   * Never deletes anything.
   */
  async reconcileTopics(specs: TopicSpec[]): Promise<string[]> {
    await this.topics.refresh();
    const missing = new Set(await this.topics.missing(specs.map((spec) => spec.topic)));
    const toCreate = uniqueByTopic(specs.filter((spec) => missing.has(spec.topic)));
    return (await this.createTopics(toCreate)) ? toCreate.map((spec) => spec.topic) : [];
  }

  /** Whether this call created them (false when another client had, a moment before). */
  private async createTopics(specs: TopicSpec[]): Promise<boolean> {
    if (specs.length === 0) return false;
    const toCreate: ITopicConfig[] = specs.map((s) => ({
      topic: s.topic,
      numPartitions: s.partitions,
      replicationFactor: -1,
      configEntries: Object.entries(s.config ?? {}).map(([name, value]) => ({ name, value })),
    }));
    let created = true;
    try {
      await this.requireAdmin().createTopics({ topics: toCreate, waitForLeaders: true });
    } catch (error) {
      // Another service may have created the same topic a moment ago.
      if (!String((error as Error).message).includes('already exists')) throw error;
      created = false;
    }
    this.topics.learned(specs.map((spec) => spec.topic));
    return created;
  }

  async topicExists(topic: string): Promise<boolean> {
    return (await this.topics.missing([topic])).length === 0;
  }

  /** The cluster's id: a new one means the broker's data is not what it was. */
  async clusterId(): Promise<string> {
    return (await this.requireAdmin().describeCluster()).clusterId;
  }

  /** Every topic of the cluster, as the broker lists them now. */
  async listTopics(): Promise<string[]> {
    return this.requireAdmin().listTopics();
  }

  async deleteTopics(topics: string[]): Promise<void> {
    await this.requireAdmin().deleteTopics({ topics });
    this.topics.forget(topics);
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

/** Broker refusals that only a new producer id gets past. */
const PRODUCER_STATE_ERRORS = [
  'UNKNOWN_PRODUCER_ID',
  'OUT_OF_ORDER_SEQUENCE_NUMBER',
  'INVALID_PRODUCER_EPOCH',
  'INVALID_PRODUCER_ID_MAPPING',
];

function uniqueByTopic(specs: TopicSpec[]): TopicSpec[] {
  return [...new Map(specs.map((spec) => [spec.topic, spec])).values()];
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
