import { DomainError, envelopeProblems, Headers, type Envelope } from '@baton/contracts';
import type { Consumer, EachBatchPayload, IHeaders, KafkaMessage } from 'kafkajs';
import type { BatonKafka } from './baton-kafka';
import { envelopeLimitBreach } from './envelope-limits';
import { byTopic, PendingOffsets, type PartitionOffset } from './pending-offsets';
import { Slots } from './slots';
import { headerString, withConsumerSpan } from './trace-context';

export interface ConsumedMessage<T = unknown> {
  envelope: Envelope<T>;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
  /** Kafka's timestamp of the message (epoch ms as text): when it was produced. */
  timestamp?: string;
  /** The W3C trace it was sent in: the envelope's, else the Kafka header's. */
  traceparent?: string;
}

/** An error that retrying cannot fix: the message goes straight to the dead-letter topic. */
export class PermanentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentError';
  }
}

export type EnvelopeDecoder = (message: KafkaMessage, topic: string) => Envelope;

export interface ConsumerSpec {
  groupId: string;
  topics: (string | RegExp)[];
  /** Where messages that cannot be handled go, with the reason in a header. */
  dlqTopic: string;
  /** One message at a time, in partition order. */
  handle?: (message: ConsumedMessage) => Promise<void>;
  /** The whole fetched batch at once (after envelope validation), for bulk writes. */
  handleBatch?: (messages: ConsumedMessage[]) => Promise<void>;
  partitionsConsumedConcurrently?: number;
  /**
   * With `handle`: how many messages of one fetched batch may run at once.
   * Messages with the same key still run one after the other, in order; it
   * suits independent work (agent tasks), not one aggregate's event stream.
   */
  keyConcurrency?: number;
  /** Attempts of a failing handler before the message is dead-lettered. */
  maxAttempts?: number;
  /** A new group starts at the beginning: nothing produced before the first deploy is skipped. */
  fromBeginning?: boolean;
  decode?: EnvelopeDecoder;
  maxWaitTimeInMs?: number;
  /**
   * Bytes the broker waits for (up to maxWaitTimeInMs) before it answers a
   * fetch: for consumers nobody waits on closely, bigger batches for less CPU.
   */
  minBytes?: number;
  /**
   * How often finished offsets are committed (default 1 s). A crash or a
   * rebalance redelivers what was finished since the last commit, which
   * handlers must take (they are idempotent); a longer interval costs more
   * redelivery and fewer broker round trips.
   */
  commitIntervalMs?: number;
  /** Platform handlers are short database work: 10 s. Agents with slow tasks need more. */
  sessionTimeoutMs?: number;
  onError?: (error: unknown, message: ConsumedMessage | undefined, attempt: number) => void;
}

export function decodeJsonEnvelope(message: KafkaMessage): Envelope {
  if (!message.value) throw new PermanentError('message has no value');
  const text = message.value.toString('utf8');
  // Size and depth before JSON.parse and class-validator recurse into it.
  const breach = envelopeLimitBreach(text, message.value.length);
  if (breach) throw new PermanentError(breach);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PermanentError('message value is not JSON');
  }
  const problems = envelopeProblems(parsed);
  if (problems.length > 0) throw new PermanentError(`invalid envelope: ${problems.join('; ')}`);
  return parsed as Envelope;
}

export function isPermanent(error: unknown): boolean {
  return error instanceof PermanentError || error instanceof DomainError;
}

type Decoded =
  | { ok: true; raw: KafkaMessage; message: ConsumedMessage }
  | { ok: false; raw: KafkaMessage; error: unknown };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A consumer that validates every message, never blocks a partition on a
 * poison message (it is dead-lettered with its reason) and commits an offset
 * only after the message's work is done, so a crash mid-work redelivers it.
 */
export class MessageConsumer {
  private consumer?: Consumer;
  private joined = false;
  /** Emptied at every group join (see GROUP_JOIN below), so a restart starts clean. */
  private readonly pending: PendingOffsets;
  private committing: Promise<void> = Promise.resolve();
  private idleCommits?: NodeJS.Timeout;
  private batchesRunning = 0;
  private stopping = false;

  constructor(
    private readonly kafka: BatonKafka,
    readonly spec: ConsumerSpec,
  ) {
    this.pending = new PendingOffsets(this.commitIntervalMs);
  }

  get isJoined(): boolean {
    return this.joined;
  }

  private get commitIntervalMs(): number {
    return this.spec.commitIntervalMs ?? 1_000;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.kafka.consumer({
      groupId: this.spec.groupId,
      // How long the broker holds a fetch while nothing arrives. It answers as soon
      // as a message does, so this costs no latency; a short one only costs CPU
      // (an idle service with five consumers used 10% of a core at 100 ms).
      maxWaitTimeInMs: this.spec.maxWaitTimeInMs ?? 1_000,
      minBytes: this.spec.minBytes ?? 1,
      // kafkajs heartbeats only between messages, so the session must outlast the
      // slowest handler; it is also how long a crashed member's partitions wait.
      sessionTimeout: this.spec.sessionTimeoutMs ?? 10_000,
      heartbeatInterval: Math.min(3_000, Math.floor((this.spec.sessionTimeoutMs ?? 10_000) / 5)),
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.joined = true;
      this.pending.clear();
    });
    consumer.on(consumer.events.CRASH, () => {
      this.joined = false;
    });
    await consumer.connect();
    await consumer.subscribe({
      topics: this.spec.topics,
      fromBeginning: this.spec.fromBeginning ?? true,
    });
    this.stopping = false;
    await consumer.run({
      // kafkajs' auto-commit commits after every batch, whatever its interval says:
      // a broker round trip per message at low load. Offsets are committed here
      // instead, once per interval (PendingOffsets), from a batch or when idle.
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.spec.partitionsConsumedConcurrently ?? 1,
      eachBatch: (payload) => this.onBatchThenCommit(payload),
    });
    this.idleCommits = setInterval(() => {
      if (this.batchesRunning === 0 && this.pending.isDue()) void this.commitOutsideBatch();
    }, this.pending.idleCheckEveryMs);
    this.idleCommits.unref();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.idleCommits);
    // A batch in progress commits its own offsets when it ends (it sees `stopping`);
    // disconnect() waits for it, so in-flight work finishes and is committed.
    if (this.batchesRunning === 0) await this.commitOutsideBatch();
    await this.consumer?.disconnect();
    this.consumer = undefined;
    this.joined = false;
  }

  private async onBatchThenCommit(payload: EachBatchPayload): Promise<void> {
    this.batchesRunning++;
    try {
      await this.onBatch(payload);
    } finally {
      this.batchesRunning--;
    }
    if (this.stopping || this.pending.isDue()) {
      // In a batch, through the batch's own commit: it works even while the consumer stops.
      await this.commit((offsets) => payload.commitOffsetsIfNecessary(byTopic(offsets)));
    }
  }

  private commitOutsideBatch(): Promise<void> {
    const consumer = this.consumer;
    return consumer ? this.commit((offsets) => consumer.commitOffsets(offsets)) : Promise.resolve();
  }

  /** One commit at a time, of whatever is finished when its turn comes. */
  private commit(send: (offsets: PartitionOffset[]) => Promise<void>): Promise<void> {
    this.committing = this.committing.then(async () => {
      const offsets = this.pending.take();
      if (offsets.length === 0) return;
      try {
        await send(offsets);
      } catch (error) {
        this.pending.putBack(offsets);
        this.kafka.options.log?.(
          'warn',
          'committing consumer offsets failed; the next commit retries',
          {
            groupId: this.spec.groupId,
            err: { message: (error as Error).message },
          },
        );
      }
    });
    return this.committing;
  }

  private async onBatch(payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    const resolveOffset = this.resolver(payload);
    const decoded = batch.messages.map((raw) => this.decode(raw, batch.topic, batch.partition));

    if (this.spec.handleBatch) {
      for (const item of decoded) {
        if (!item.ok) await this.deadLetter(batch.topic, batch.partition, item.raw, item.error);
      }
      const valid = decoded.flatMap((item) => (item.ok ? [item.message] : []));
      if (valid.length > 0) await this.runBatch(valid, isRunning);
      resolveOffset(batch.lastOffset());
      await heartbeat();
      return;
    }

    if ((this.spec.keyConcurrency ?? 1) > 1) {
      await this.runByKey(decoded, payload);
      return;
    }

    for (const item of decoded) {
      if (!isRunning() || isStale()) return;
      if (!item.ok) {
        await this.deadLetter(batch.topic, batch.partition, item.raw, item.error);
      } else if (!(await this.runOne(item.message, isRunning))) {
        return; // stopping: the offset stays unresolved, so the message is redelivered
      }
      resolveOffset(item.raw.offset);
      await heartbeat();
    }
  }

  /**
   * Runs the batch as lanes of messages sharing a key, `keyConcurrency` lanes
   * at a time. Only the offsets before the first unfinished message are
   * resolved: when the consumer stops midway the rest is redelivered.
   */
  private async runByKey(decoded: Decoded[], payload: EachBatchPayload): Promise<void> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    const resolveOffset = this.resolver(payload);
    const lanes = new Map<string, Decoded[]>();
    for (const item of decoded) {
      const key = (item.ok && item.message.key) || `offset:${item.raw.offset}`;
      if (lanes.has(key)) lanes.get(key)!.push(item);
      else lanes.set(key, [item]);
    }
    const slots = new Slots(this.spec.keyConcurrency ?? 1);
    const done = new Set<string>();
    const runLane = async (lane: Decoded[]): Promise<void> => {
      for (const item of lane) {
        if (!isRunning() || isStale()) return;
        if (!item.ok) await this.deadLetter(batch.topic, batch.partition, item.raw, item.error);
        else if (!(await this.runOne(item.message, isRunning))) return;
        done.add(item.raw.offset);
        await heartbeat();
      }
    };
    await Promise.all([...lanes.values()].map((lane) => slots.run(() => runLane(lane))));
    let finished: string | undefined;
    for (const item of decoded) {
      if (!done.has(item.raw.offset)) break;
      finished = item.raw.offset;
    }
    if (finished !== undefined) resolveOffset(finished);
  }

  /** Marks an offset done for kafkajs (where to fetch next) and for the next commit. */
  private resolver(payload: EachBatchPayload): (offset: string) => void {
    const { batch } = payload;
    return (offset) => {
      payload.resolveOffset(offset);
      this.pending.finished(batch.topic, batch.partition, offset);
    };
  }

  private decode(raw: KafkaMessage, topic: string, partition: number): Decoded {
    try {
      const envelope = (this.spec.decode ?? decodeJsonEnvelope)(raw, topic);
      const message: ConsumedMessage = {
        envelope,
        topic,
        partition,
        offset: raw.offset,
        key: raw.key ? raw.key.toString('utf8') : null,
        headers: raw.headers ?? {},
        timestamp: raw.timestamp,
        traceparent: envelope.traceparent ?? headerString(raw.headers, Headers.traceparent),
      };
      return { ok: true, raw, message };
    } catch (error) {
      return { ok: false, raw, error };
    }
  }

  /** Returns false when the consumer is stopping and the message was not finished. */
  private async runOne(message: ConsumedMessage, isRunning: () => boolean): Promise<boolean> {
    const maxAttempts = this.spec.maxAttempts ?? 8;
    for (let attempt = 1; ; attempt++) {
      try {
        await withConsumerSpan(message.topic, message.headers, () => this.spec.handle!(message));
        return true;
      } catch (error) {
        this.spec.onError?.(error, message, attempt);
        if (isPermanent(error) || attempt >= maxAttempts) {
          await this.deadLetterConsumed(message, error, attempt);
          return true;
        }
        if (!isRunning()) return false;
        await sleep(Math.min(100 * 2 ** (attempt - 1), 5_000));
      }
    }
  }

  private async runBatch(messages: ConsumedMessage[], isRunning: () => boolean): Promise<void> {
    const maxAttempts = this.spec.maxAttempts ?? 8;
    for (let attempt = 1; attempt <= maxAttempts; attempt++) {
      try {
        await this.spec.handleBatch!(messages);
        return;
      } catch (error) {
        this.spec.onError?.(error, undefined, attempt);
        if (isPermanent(error) || !isRunning()) break;
        await sleep(Math.min(100 * 2 ** (attempt - 1), 5_000));
      }
    }
    if (!isRunning()) throw new Error('consumer stopping; batch will be redelivered');
    // The batch keeps failing: find the culprit one message at a time.
    for (const message of messages) {
      try {
        await this.spec.handleBatch!([message]);
      } catch (error) {
        await this.deadLetterConsumed(message, error, maxAttempts);
      }
    }
  }

  private async deadLetterConsumed(message: ConsumedMessage, error: unknown, attempts: number) {
    const reason = `${(error as Error).message ?? String(error)} (after ${attempts} attempt(s))`;
    await this.kafka.publishRaw(
      this.spec.dlqTopic,
      message.key,
      JSON.stringify(message.envelope),
      this.dlqHeaders(message.headers, reason, message.topic, message.partition, message.offset),
    );
  }

  private async deadLetter(topic: string, partition: number, raw: KafkaMessage, error: unknown) {
    this.spec.onError?.(error, undefined, 1);
    await this.kafka.publishRaw(
      this.spec.dlqTopic,
      raw.key,
      raw.value,
      this.dlqHeaders(raw.headers ?? {}, (error as Error).message, topic, partition, raw.offset),
    );
  }

  private dlqHeaders(
    original: IHeaders,
    reason: string,
    topic: string,
    partition: number,
    offset: string,
  ): Record<string, string | Buffer> {
    const headers: Record<string, string | Buffer> = {};
    for (const [name, value] of Object.entries(original)) {
      const text = headerString(original, name);
      if (text !== undefined && value !== undefined) headers[name] = text;
    }
    headers[Headers.dlqReason] = reason.slice(0, 2000);
    headers[Headers.dlqSourceTopic] = topic;
    headers[Headers.dlqSourcePartition] = String(partition);
    headers[Headers.dlqSourceOffset] = offset;
    return headers;
  }
}
