import type { Envelope } from '@baton/contracts';
import { randomUUID } from 'node:crypto';
import type { Consumer } from 'kafkajs';
import type { BatonKafka } from './baton-kafka';
import { CrashRecovery } from './crash-recovery';

/**
 * A topic every instance of a service writes and reads all of: each instance
 * consumes it in a consumer group of its own (so it sees every message, not a
 * share of them), starting at the latest offset, and never commits. What it
 * broadcasts must therefore be state that is re-sent, not events that are
 * lost when missed (gateway usage counts, docs/adr/0021-rate-limits.md).
 */
export class BroadcastChannel {
  readonly instanceId = randomUUID();
  private readonly groupId: string;
  private consumer?: Consumer;
  private ready = false;
  private stopping = false;
  private readonly recovery = new CrashRecovery(
    () => this.restart(),
    (message, extra) =>
      this.kafka.options.log?.('warn', message, { groupId: this.groupId, ...extra }),
  );

  /**
   * `groupPrefix` must be under the service's own `baton-<service>-` prefix
   * (its Kafka ACLs allow those groups). `onMessage` gets every envelope that
   * parses, this instance's own included; it must not throw.
   */
  constructor(
    private readonly kafka: BatonKafka,
    private readonly topic: string,
    groupPrefix: string,
    private readonly onMessage: (envelope: Envelope, key: string | null) => void,
  ) {
    this.groupId = `${groupPrefix}${this.instanceId}`;
  }

  get isReady(): boolean {
    return this.ready;
  }

  async start(): Promise<void> {
    const consumer = this.kafka.kafka.consumer({
      groupId: this.groupId,
      // The broker answers as soon as a report arrives: others' counts reach us at once.
      maxWaitTimeInMs: 500,
      sessionTimeout: 30_000,
    });
    this.consumer = consumer;
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      if (!payload.restart) this.ready = false;
      if (!this.stopping) this.recovery.crashed(payload.error, payload.restart);
    });
    const firstFetch = new Promise<void>((resolve) => {
      consumer.on(consumer.events.FETCH, () => resolve());
    });
    await consumer.connect();
    await consumer.subscribe({ topics: [this.topic], fromBeginning: false });
    await consumer.run({
      // The group is this instance's alone and always starts at the latest offset.
      autoCommit: false,
      eachMessage: async ({ message }) => {
        if (!message.value) return;
        let envelope: Envelope;
        try {
          envelope = JSON.parse(message.value.toString('utf8')) as Envelope;
        } catch {
          return; // not ours to judge further: the receiver validates what it reads
        }
        if (typeof envelope !== 'object' || envelope === null) return;
        this.onMessage(envelope, message.key?.toString('utf8') ?? null);
      },
    });
    await firstFetch;
    this.ready = true;
  }

  async publish(envelope: Envelope): Promise<void> {
    await this.kafka.publish([{ topic: this.topic, key: this.instanceId, envelope }]);
  }

  private async restart(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    if (!this.stopping) await this.start();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.recovery.cancel();
    this.ready = false;
    await this.consumer?.disconnect().catch(() => undefined);
    // The group existed only for this instance; it would otherwise linger until offsets expire.
    const admin = this.kafka.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([this.groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
}
