import { Headers } from '@baton/contracts';
import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { BatonKafka } from './baton-kafka';
import {
  decodeJsonEnvelope,
  isPermanent,
  type ConsumedMessage,
  type ConsumerSpec,
} from './consumer-spec';
import { CrashRecovery } from './crash-recovery';
import { byTopic, PendingOffsets, type PartitionOffset } from './pending-offsets';
import { consumerSettingsOf } from './poison/consumer-settings';
import { HandlerAttempts } from './handler-attempts';
import { isUnknownTopic } from './kafka-error-types';
import { DeadLetters, type DeadLetterKind } from './poison/dead-letters';
import { PoisonGuard } from './poison/poison-guard';
import { walkWindow } from './poison/window-walk';
import { Slots } from './slots';
import { headerString } from './trace-context';

type Decoded =
  | { ok: true; raw: KafkaMessage; message: ConsumedMessage }
  | { ok: false; raw: KafkaMessage; error: unknown };

const reasonOf = (error: unknown): string => (error as Error)?.message ?? String(error);

/**
 * A consumer that validates every message, never blocks a partition on a
 * poison message (it is dead-lettered with its reason) and commits an offset
 * only after the message's work is done, so a crash mid-work redelivers it.
 * A message that crashes the process is recognised when the partition comes
 * back (see SuspectWindow); a handler that never settles is abandoned.
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
  private readonly recovery = new CrashRecovery(
    () => this.restart(),
    (message, extra) =>
      this.kafka.options.log?.('warn', message, { groupId: this.spec.groupId, ...extra }),
  );
  private readonly deadLetters: DeadLetters;
  // Built at start, not here: the service configures its consumers (configureConsumers)
  // while Nest builds providers, in an order no constructor can count on.
  private attempts?: HandlerAttempts;
  /** Absent without a ledger (a process with no database): crashes are then not counted. */
  private guard?: PoisonGuard;
  /** How long one handler invocation may run before it is abandoned (0: no limit); set at start. */
  private handlerTimeoutMs = 0;

  constructor(
    private readonly kafka: BatonKafka,
    readonly spec: ConsumerSpec,
  ) {
    this.pending = new PendingOffsets(this.commitIntervalMs);
    this.deadLetters = new DeadLetters(kafka, spec.dlqTopic, spec.groupId);
  }

  private configure(): void {
    const settings = consumerSettingsOf(this.kafka);
    this.handlerTimeoutMs = this.spec.handlerTimeoutMs ?? settings.handlerTimeoutMs;
    this.attempts ??= new HandlerAttempts(this.spec, isPermanent, this.deadLetters, {
      timeoutMs: this.handlerTimeoutMs,
      maxTimeouts: settings.maxCrashes,
    });
    if (settings.ledger && !this.guard) {
      this.guard = new PoisonGuard(
        this.spec.groupId,
        settings.ledger,
        settings.windowCap,
        { maxCrashes: settings.maxCrashes, chunk: settings.chunk },
        (level, message, extra) => this.kafka.options.log?.(level, message, extra),
      );
    }
  }

  get isJoined(): boolean {
    return this.joined;
  }

  /**
   * How long the oldest handler invocation still running has been running
   * (0 when none is): a consumer stuck on one message shows it here long
   * before the handler timeout gives up on it.
   */
  stalledForMs(now: number = Date.now()): number {
    return this.attempts?.stalledForMs(now) ?? 0;
  }

  private get sessionTimeoutMs(): number {
    return this.spec.sessionTimeoutMs ?? 10_000;
  }

  private get heartbeatIntervalMs(): number {
    return Math.min(3_000, Math.floor(this.sessionTimeoutMs / 5));
  }

  private get commitIntervalMs(): number {
    return this.spec.commitIntervalMs ?? 1_000;
  }

  async start(): Promise<void> {
    this.stopping = false;
    await this.run();
  }

  /**
   * Connects, subscribes and runs a new kafkajs consumer. A stop() that comes
   * while it connects (a crash restart racing a shutdown) wins: the new
   * consumer is disconnected instead of run, so no connection outlives stop().
   */
  private async run(): Promise<void> {
    this.configure();
    const consumer = this.kafka.kafka.consumer({
      groupId: this.spec.groupId,
      // How long the broker holds a fetch while nothing arrives. It answers as soon
      // as a message does, so this costs no latency; a short one only costs CPU
      // (an idle service with five consumers used 10% of a core at 100 ms).
      maxWaitTimeInMs: this.spec.maxWaitTimeInMs ?? 1_000,
      minBytes: this.spec.minBytes ?? 1,
      // kafkajs heartbeats only between messages, so the session must outlast the
      // slowest handler; it is also how long a crashed member's partitions wait.
      sessionTimeout: this.sessionTimeoutMs,
      heartbeatInterval: this.heartbeatIntervalMs,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      // How long the group took to let it in: a member that died uncleanly is waited
      // for up to its session timeout, and this is where that wait shows.
      this.kafka.options.log?.('info', 'joined consumer group', {
        groupId: this.spec.groupId,
        durationMs: payload.duration,
      });
      this.joined = true;
      this.pending.clear();
      // A partition may have had another owner since: its suspects are read again.
      this.guard?.reset();
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.joined = false;
      if (payload.restart) {
        this.kafka.options.log?.('warn', 'consumer crashed; kafkajs restarts it', {
          groupId: this.spec.groupId,
          err: { message: payload.error?.message },
        });
      }
      if (!this.stopping) this.recovery.crashed(payload.error, payload.restart);
    });
    await consumer.connect();
    if (this.stopping) return void (await consumer.disconnect());
    await consumer.subscribe({
      topics: this.spec.topics,
      fromBeginning: this.spec.fromBeginning ?? true,
    });
    if (this.stopping) return void (await consumer.disconnect());
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

  /** A fresh kafkajs consumer in place of one that kafkajs stopped for good. */
  private async restart(): Promise<void> {
    clearInterval(this.idleCommits);
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    if (!this.stopping) await this.run();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.recovery.cancel();
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
    const keepAlive = this.keepSessionAlive(payload);
    try {
      await this.onBatch(payload);
    } finally {
      clearInterval(keepAlive);
      this.batchesRunning--;
    }
    if (this.stopping || this.pending.isDue()) await this.commitInBatch(payload);
  }

  /**
   * kafkajs renews the group session only between messages. A handler that
   * ran longer than the session got the consumer evicted: the group
   * rebalanced, the message came again, and its handler timeout was never
   * counted (an eviction loop the poison guard did not see). While a batch
   * runs the session is renewed here, so the handler timeout is what bounds
   * one message: it counts as a failed attempt and the message is
   * dead-lettered after the configured attempts. A consumer with no handler
   * timeout keeps the session as its bound (the SDK's AgentWorker, whose
   * session is its task lease, ADR 0008).
   */
  private keepSessionAlive(payload: EachBatchPayload): NodeJS.Timeout | undefined {
    if (this.handlerTimeoutMs <= 0) return undefined;
    const timer = setInterval(() => {
      // A rebalance makes it fail: kafkajs sees that itself after the batch, and rejoins.
      payload.heartbeat().catch(() => undefined);
    }, this.heartbeatIntervalMs);
    timer.unref();
    return timer;
  }

  /** In a batch, through the batch's own commit: it works even while the consumer stops. */
  private commitInBatch(payload: EachBatchPayload): Promise<void> {
    return this.commit((offsets) => payload.commitOffsetsIfNecessary(byTopic(offsets)));
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
        if (isUnknownTopic(error)) {
          // A topic of these offsets was deleted, and the broker dropped the group's offsets
          // with it: committing them once it is created again would skip its first messages.
          this.kafka.options.log?.('warn', 'a consumed topic is gone; its offsets are dropped', {
            groupId: this.spec.groupId,
            topics: [...new Set(offsets.map((offset) => offset.topic))],
          });
          return;
        }
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
    const { batch } = payload;
    const decoded = batch.messages.map((raw) => this.decode(raw, batch.topic, batch.partition));
    if (decoded.length === 0) {
      // As before: a batch handler's consumer moves past a batch with nothing to handle.
      if (this.spec.handleBatch) this.resolver(payload)(batch.lastOffset());
      return;
    }
    const guard = this.guard;
    const window =
      guard && !guard.isPassed(batch.topic, batch.partition)
        ? await guard.windowFor(
            batch.topic,
            batch.partition,
            decoded[0].raw.offset,
            batch.highWatermark,
          )
        : undefined;
    if (!window) {
      await this.onMessages(decoded, payload);
      return;
    }
    const { topic, partition } = batch;
    await walkWindow(window, decoded, {
      guard: guard!,
      topic,
      partition,
      isRunning: () => payload.isRunning() && !payload.isStale(),
      handle: (items) => this.onMessages(items as Decoded[], payload),
      deadLetter: async (raw, reason) => {
        await this.deadLetter(topic, partition, raw, reason, 'crash');
        this.resolver(payload)(raw.offset);
      },
      commitSoon: () => this.pending.dueNow(),
      // Consumers that commit after every batch (not every command is idempotent)
      // commit after every suspect step too: narrowing down re-runs no finished one.
      afterStep: () => (this.commitIntervalMs === 0 ? this.commitInBatch(payload) : undefined),
    });
  }

  /** Handles consecutive messages of one batch; false when the consumer stopped midway. */
  private async onMessages(decoded: Decoded[], payload: EachBatchPayload): Promise<boolean> {
    const { batch, heartbeat, isRunning, isStale } = payload;
    const resolveOffset = this.resolver(payload);

    if (this.spec.handleBatch) {
      for (const item of decoded) {
        if (!item.ok) await this.deadLetterUnreadable(batch.topic, batch.partition, item);
      }
      const valid = decoded.flatMap((item) => (item.ok ? [item.message] : []));
      if (valid.length > 0) await this.attempts!.runBatch(valid, isRunning);
      const last = decoded[decoded.length - 1].raw;
      // The batch's own last offset also covers what Kafka skipped (control records).
      resolveOffset(last === batch.messages.at(-1) ? batch.lastOffset() : last.offset);
      await heartbeat();
      return true;
    }

    if ((this.spec.keyConcurrency ?? 1) > 1) return this.runByKey(decoded, payload);

    for (const item of decoded) {
      if (!isRunning() || isStale()) return false;
      if (!item.ok) {
        await this.deadLetterUnreadable(batch.topic, batch.partition, item);
      } else if (!(await this.attempts!.runOne(item.message, isRunning))) {
        return false; // stopping: the offset stays unresolved, so the message is redelivered
      }
      resolveOffset(item.raw.offset);
      await heartbeat();
    }
    return true;
  }

  /**
   * Runs the messages as lanes of messages sharing a key, `keyConcurrency`
   * lanes at a time. Only the offsets before the first unfinished message
   * are resolved: when the consumer stops midway the rest is redelivered.
   */
  private async runByKey(decoded: Decoded[], payload: EachBatchPayload): Promise<boolean> {
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
        if (!item.ok) await this.deadLetterUnreadable(batch.topic, batch.partition, item);
        else if (!(await this.attempts!.runOne(item.message, isRunning))) return;
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
    return finished === decoded[decoded.length - 1].raw.offset;
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

  private deadLetterUnreadable(
    topic: string,
    partition: number,
    item: { raw: KafkaMessage; error: unknown },
  ): Promise<void> {
    this.spec.onError?.(item.error, undefined, 1);
    return this.deadLetter(topic, partition, item.raw, reasonOf(item.error), 'unreadable');
  }

  private deadLetter(
    topic: string,
    partition: number,
    raw: KafkaMessage,
    reason: string,
    kind: DeadLetterKind,
  ): Promise<void> {
    return this.deadLetters.send({
      key: raw.key,
      value: raw.value,
      headers: raw.headers ?? {},
      topic,
      partition,
      offset: raw.offset,
      reason,
      kind,
    });
  }
}
