import type { Consumer } from 'kafkajs';
import type { BatonKafka } from './baton-kafka';
import { CrashRecovery } from './crash-recovery';

/**
 * A consumer in a group of its own process (BroadcastConsumer, RequestClient):
 * the group id is new for each process and it reads from the latest offset,
 * so no other member can take partitions from it. What the two share lives
 * here: starting again after a crash, and deleting the group on stop, since
 * nobody would ever use it again (it would otherwise linger until its offsets
 * expire).
 *
 * After a crash (the broker went away) it starts again in a NEW group, not
 * through kafkajs' own restart into the old one: the broker holds a rejoin
 * until the old member's session has run out, and the consumer (with the
 * gateway's readiness) sat out ~20 s after the broker was back. Nothing is
 * lost by it: the group commits nothing and reads from the latest offset
 * either way. The old group is deleted.
 */
export abstract class OwnGroupConsumer {
  protected consumer?: Consumer;
  protected stopping = false;
  protected readonly recovery: CrashRecovery;
  protected groupId: string;
  private restarts = 0;

  protected constructor(
    protected readonly kafka: BatonKafka,
    private readonly firstGroupId: string,
    warn: (message: string, extra: object) => void,
  ) {
    this.groupId = firstGroupId;
    this.recovery = new CrashRecovery(
      () => this.restart(),
      (message, extra) => warn(message, { groupId: this.groupId, ...extra }),
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
      // kafkajs never restarts it into the same group: `recovery` does, in a new one.
      retry: { retries: 5, restartOnFailure: () => Promise.resolve(false) },
    });
    return this.consumer;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.recovery.cancel();
    this.onStopping();
    await this.consumer?.disconnect();
    await this.deleteGroup(this.groupId);
  }

  private async restart(): Promise<void> {
    await this.consumer?.disconnect().catch(() => undefined);
    this.consumer = undefined;
    if (this.stopping) return;
    // Not awaited: the old group may still hold the dead member; it goes once that has timed out.
    void this.deleteGroup(this.groupId);
    this.restarts++;
    this.groupId = `${this.firstGroupId}-r${this.restarts}`;
    await this.start();
  }

  private async deleteGroup(groupId: string): Promise<void> {
    const admin = this.kafka.kafka.admin();
    await admin
      .connect()
      .then(() => admin.deleteGroups([groupId]))
      .catch(() => undefined)
      .finally(() => admin.disconnect());
  }
}
