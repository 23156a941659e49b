import type { Envelope } from '@baton/contracts';
import { randomUUID } from 'node:crypto';
import type { BatonKafka } from './baton-kafka';
import { OwnGroupConsumer } from './own-group-consumer';

export interface BroadcastConsumerOptions {
  topic: string;
  /**
   * The group is `<groupPrefix>-<instance id>` (and `-r<n>` after the n-th crash):
   * one per process, so every process gets every message.
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
 */
export class BroadcastConsumer extends OwnGroupConsumer {
  private running = false;

  constructor(
    kafka: BatonKafka,
    private readonly options: BroadcastConsumerOptions,
  ) {
    super(kafka, `${options.groupPrefix}-${randomUUID()}`, (message, extra) =>
      options.log('warn', message, extra),
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
    const consumer = this.newConsumer();
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

  protected onStopping(): void {
    this.running = false;
  }
}
