import type { Envelope } from '@baton/contracts';
import type { Consumer } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import type { BatonKafka } from './baton-kafka';
import { CrashRecovery } from './crash-recovery';

export interface BroadcastConsumerOptions {
  topic: string;
  /**
   * The group is `<groupPrefix>-<random id>`: one per process, so every process
   * gets every message, and a new one at every restart (see `start`).
   */
  groupPrefix: string;
  handle: (envelope: Envelope) => void | Promise<void>;
  /**
   * Called whenever the consumer (re)joins its group. It reads from the
   * latest offset and commits nothing, so what was published while it was
   * away is never read: the caller must not trust state those messages
   * would have changed (a cache, say).
   */
  onGap: () => void;
  log: (level: 'info' | 'warn', message: string, extra: object) => void;
}

/**
 * Every process reads every message of a topic: a consumer group of its own,
 * from the latest offset, deleted when the process stops. For notifications
 * that concern in-memory state of each replica, such as revocations that
 * every gateway must apply to its cache.
 *
 * After a crash (the broker went away) it starts again in a NEW group rather
 * than letting kafkajs rejoin the old one: the broker holds a rejoin until the
 * old member's session has run out, and the consumer (with the gateway's
 * readiness) would sit out that long after the broker was back. Nothing is
 * lost by it: the group commits nothing and reads from the latest offset
 * anyway, and `onGap` runs at every join. The old group is deleted.
 */
export class BroadcastConsumer {
  private consumer?: Consumer;
  private groupId: string;
  private stopping = false;
  private running = false;
  private readonly recovery: CrashRecovery;

  constructor(
    private readonly kafka: BatonKafka,
    private readonly options: BroadcastConsumerOptions,
  ) {
    this.groupId = `${options.groupPrefix}-${randomUUID()}`;
    this.recovery = new CrashRecovery(
      () => this.restart(),
      (message, extra) => options.log('warn', message, { groupId: this.groupId, ...extra }),
    );
  }

  /**
   * True once joined and past its first fetch (its position is fixed from
   * then on, so nothing published later is missed) and until it stops or crashes.
   */
  get isRunning(): boolean {
    return this.running;
  }

  /** Starts without waiting; a failed start is retried with backoff like a crash. */
  launch(): void {
    this.start().catch((error: unknown) => {
      if (!this.stopping) this.recovery.crashed(error, false);
    });
  }

  async start(): Promise<void> {
    const consumer = this.kafka.kafka.consumer({
      groupId: this.groupId,
      maxWaitTimeInMs: 1_000, // the broker answers at once when a message arrives
      // A crash is restarted by `recovery`, in a new group (see the class comment).
      retry: { retries: 5, restartOnFailure: () => Promise.resolve(false) },
    });
    this.consumer = consumer;
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.running = false;
      this.options.onGap();
    });
    // A fresh group starts at the latest offset; once a fetch has come back the position is fixed.
    consumer.on(consumer.events.FETCH, () => {
      this.running = true;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.running = false;
      this.options.onGap();
      if (!this.stopping) this.recovery.crashed(payload.error, false);
    });
    consumer.on(consumer.events.STOP, () => {
      this.running = false;
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.options.topic], fromBeginning: false });
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        let envelope: Envelope;
        try {
          envelope = JSON.parse(message.value.toString('utf8')) as Envelope;
        } catch {
          this.options.log('warn', 'unreadable broadcast message skipped', {
            topic: this.options.topic,
            offset: message.offset,
          });
          return;
        }
        try {
          await this.options.handle(envelope);
        } catch (error) {
          this.options.log('warn', 'broadcast message not handled', {
            topic: this.options.topic,
            offset: message.offset,
            err: { message: (error as Error).message },
          });
        }
      },
    });
  }

  private async restart(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    if (this.stopping) return;
    // Not awaited: the old group may still hold the dead member; it goes once that has timed out.
    void this.deleteGroup(this.groupId);
    this.groupId = `${this.options.groupPrefix}-${randomUUID()}`;
    await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.recovery.cancel();
    this.running = false;
    await this.consumer?.disconnect();
    await this.deleteGroup(this.groupId);
  }

  /** The group existed only for this process; it would otherwise linger until offsets expire. */
  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
}
