import type { Consumer } from 'kafkajs';
import type { BatonKafka } from './baton-kafka';
import { CrashRecovery } from './crash-recovery';

/**
 * A consumer in a group of its own process (BroadcastConsumer, RequestClient):
 * the group id is new for each process and it reads from the latest offset,
 * so no other member can take partitions from it. What the two share lives
 * here: starting again after kafkajs gives up on it, and deleting the group on
 * stop, since nobody would ever use it again (it would otherwise linger until
 * its offsets expire).
 */
export abstract class OwnGroupConsumer {
  protected consumer?: Consumer;
  protected stopping = false;
  protected readonly recovery: CrashRecovery;

  protected constructor(
    protected readonly kafka: BatonKafka,
    protected readonly groupId: string,
    warn: (message: string, extra: object) => void,
  ) {
    this.recovery = new CrashRecovery(
      () => this.restart(),
      (message, extra) => warn(message, { groupId, ...extra }),
    );
  }

  /** Joins the group and runs; called again by the crash recovery. */
  abstract start(): Promise<void>;

  /** What the subclass drops at once when asked to stop (readiness, callers waiting on it). */
  protected abstract onStopping(): void;

  /** The consumer of this group, answering as soon as a message arrives. */
  protected newConsumer(): Consumer {
    this.consumer = this.kafka.kafka.consumer({
      groupId: this.groupId,
      maxWaitTimeInMs: 1_000, // the broker answers at once when a message arrives
      sessionTimeout: 30_000,
    });
    return this.consumer;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.recovery.cancel();
    this.onStopping();
    await this.consumer?.disconnect();
    const admin = this.kafka.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([this.groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }

  private async restart(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    if (!this.stopping) await this.start();
  }
}
