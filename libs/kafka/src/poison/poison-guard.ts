import type { AttemptKey, AttemptLedger, AttemptRecord } from './attempt-ledger';
import { SuspectWindow, type SuspectWindowOptions } from './suspect-window';

type Log = (level: 'warn', message: string, extra: object) => void;

/** A partition whose window is behind it for this generation: nothing to plan or write. */
const PASSED = 'passed';

/**
 * One consumer's suspect windows, one per partition, opened on the first
 * batch of each partition after a group join (a start or a rebalance, when a
 * previous owner may have died) and dropped at the next join.
 */
export class PoisonGuard {
  private readonly windows = new Map<string, SuspectWindow | typeof PASSED>();

  constructor(
    private readonly groupId: string,
    private readonly ledger: AttemptLedger,
    private readonly cap: number,
    private readonly options: SuspectWindowOptions,
    private readonly log: Log,
  ) {}

  /** At a group join every partition may have a new owner again. */
  reset(): void {
    this.windows.clear();
  }

  /** The steady state: the partition's window is behind it, checked with no await. */
  isPassed(topic: string, partition: number): boolean {
    return this.windows.get(`${topic}\u0000${partition}`) === PASSED;
  }

  /**
   * The window the batch starting at `firstOffset` falls in, or undefined when
   * the partition's window is passed.
   */
  async windowFor(
    topic: string,
    partition: number,
    firstOffset: string,
    highWatermark: string,
  ): Promise<SuspectWindow | undefined> {
    const id = `${topic}\u0000${partition}`;
    const known = this.windows.get(id);
    if (known === PASSED) return undefined;
    if (known) return known;
    const previous = await this.read({ groupId: this.groupId, topic, partition });
    const window = SuspectWindow.opening(
      firstOffset,
      highWatermark,
      this.cap,
      previous,
      this.options,
    );
    this.windows.set(id, window);
    return window;
  }

  /** The window is behind the partition and its last record is cleared. */
  passed(topic: string, partition: number): void {
    this.windows.set(`${topic}\u0000${partition}`, PASSED);
  }

  /**
   * Writes the record before its messages are handled. A ledger that cannot be
   * written costs the protection, not the message: it is handled anyway, as it
   * would be without a ledger, and the failure is logged.
   */
  async write(topic: string, partition: number, record: AttemptRecord): Promise<void> {
    try {
      await this.ledger.write({ groupId: this.groupId, topic, partition }, record);
    } catch (error) {
      this.log('warn', 'could not record a message attempt; handling it unguarded', {
        groupId: this.groupId,
        topic,
        partition,
        err: { message: (error as Error).message },
      });
    }
  }

  private async read(key: AttemptKey): Promise<AttemptRecord | undefined> {
    try {
      return await this.ledger.read(key);
    } catch (error) {
      this.log('warn', 'could not read message attempts; the partition starts unguarded', {
        ...key,
        err: { message: (error as Error).message },
      });
      return undefined;
    }
  }
}
