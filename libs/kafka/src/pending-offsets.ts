/** A partition's next offset to read, as Kafka stores a group's commit. */
export interface PartitionOffset {
  topic: string;
  partition: number;
  offset: string;
}

/** With commits after every batch: how soon a failed one is tried again when no batch comes. */
const RETRY_FAILED_COMMIT_MS = 1_000;

/**
 * Offsets a consumer has finished but not yet committed, and when the next
 * commit is due: at most one commit per interval, instead of one per fetched
 * batch (kafkajs' auto-commit commits after every batch whatever its interval
 * says, which at low load is a broker round trip per message).
 */
export class PendingOffsets {
  private readonly next = new Map<string, PartitionOffset>();
  private lastCommitAt: number;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {
    this.lastCommitAt = now();
  }

  /** The message at `offset` is done: the group may resume after it. */
  finished(topic: string, partition: number, offset: string): void {
    this.next.set(`${topic}\u0000${partition}`, {
      topic,
      partition,
      offset: (BigInt(offset) + 1n).toString(),
    });
  }

  get isEmpty(): boolean {
    return this.next.size === 0;
  }

  /**
   * How often a consumer with no batch running should ask isDue(). With an
   * interval of 0 every batch commits its own offsets, so the check is only
   * there to retry a failed commit: a timer of 0 ms would wake the process
   * every millisecond for nothing.
   */
  get idleCheckEveryMs(): number {
    return this.intervalMs > 0 ? this.intervalMs : RETRY_FAILED_COMMIT_MS;
  }

  /** Something is waiting and the interval since the last commit has passed. */
  isDue(): boolean {
    return !this.isEmpty && this.now() - this.lastCommitAt >= this.intervalMs;
  }

  /** The next isDue() is true as soon as something is finished, whatever the interval. */
  dueNow(): void {
    this.lastCommitAt = Number.NEGATIVE_INFINITY;
  }

  /** Takes what is waiting, for a commit; `putBack` returns it if the commit failed. */
  take(): PartitionOffset[] {
    const offsets = [...this.next.values()];
    this.next.clear();
    this.lastCommitAt = this.now();
    return offsets;
  }

  /** After a failed commit: offsets finished since then are newer and stay. */
  putBack(offsets: PartitionOffset[]): void {
    for (const offset of offsets) {
      const key = `${offset.topic}\u0000${offset.partition}`;
      if (!this.next.has(key)) this.next.set(key, offset);
    }
  }

  /**
   * Forgets everything: after a rebalance the group resumes every partition
   * from its committed offset, so what was finished in the old generation
   * is delivered again and must not be committed over a new owner's work.
   */
  clear(): void {
    this.next.clear();
  }
}

/** The shape kafkajs' in-batch commitOffsetsIfNecessary takes. */
export function byTopic(offsets: PartitionOffset[]): {
  topics: { topic: string; partitions: { partition: number; offset: string }[] }[];
} {
  const topics = new Map<string, { partition: number; offset: string }[]>();
  for (const { topic, partition, offset } of offsets) {
    const partitions = topics.get(topic) ?? [];
    partitions.push({ partition, offset });
    topics.set(topic, partitions);
  }
  return { topics: [...topics].map(([topic, partitions]) => ({ topic, partitions })) };
}
