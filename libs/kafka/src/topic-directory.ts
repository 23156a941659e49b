/** A send named topics the cluster does not have: nothing of that send was written. */
export class MissingTopicError extends Error {
  constructor(readonly topics: string[]) {
    super(
      `topic${topics.length > 1 ? 's' : ''} ${topics.join(', ')} do${topics.length > 1 ? '' : 'es'} not exist`,
    );
    this.name = 'MissingTopicError';
  }
}

/**
 * Which topics the cluster has, as far as this process knows.
 *
 * Baton runs with broker auto-creation off, so a send to a topic that is not
 * there (deleted by hand, or a broker whose data was wiped) is retried by
 * kafkajs for seconds and then fails; meanwhile the producer's other sends
 * wait behind it. Asking here first turns that into an immediate, named
 * failure of that one send. Topics seen to exist are trusted until a send or
 * a reconciliation says otherwise; a topic never asked about is asked about
 * at once, and one found missing at most once per `recheckMs` after that,
 * however many sends name it.
 */
export class TopicDirectory {
  private readonly existing = new Set<string>();
  /** Topics found missing, and when the cluster was last asked about them. */
  private readonly missingSince = new Map<string, number>();
  private refreshing?: Promise<void>;

  constructor(
    private readonly listTopics: () => Promise<string[]>,
    private readonly recheckMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The hot path: true when every topic is known to exist, without asking anyone. */
  allKnown(topics: Iterable<string>): boolean {
    for (const topic of topics) if (!this.existing.has(topic)) return false;
    return true;
  }

  /** The topics of `topics` the cluster does not have (asking it when one is not known). */
  async missing(topics: Iterable<string>): Promise<string[]> {
    const unknown = [...new Set(topics)].filter((topic) => !this.existing.has(topic));
    if (unknown.length === 0) return [];
    const now = this.now();
    // A topic never asked about (created a moment ago by someone else, say) is
    // asked about at once; one found missing, again once `recheckMs` has passed.
    const due = unknown.some(
      (topic) => now - (this.missingSince.get(topic) ?? -Infinity) >= this.recheckMs,
    );
    if (due) await this.refresh();
    const missing = unknown.filter((topic) => !this.existing.has(topic));
    if (due) for (const topic of missing) this.missingSince.set(topic, now);
    if (this.missingSince.size > 10_000) this.missingSince.clear();
    return missing;
  }

  /** Reads the cluster's topics again; concurrent callers share one request. */
  refresh(): Promise<void> {
    this.refreshing ??= this.listTopics()
      .then((topics) => {
        this.existing.clear();
        for (const topic of topics) {
          this.existing.add(topic);
          this.missingSince.delete(topic);
        }
      })
      .finally(() => {
        this.refreshing = undefined;
      });
    return this.refreshing;
  }

  /** A topic this process created, or saw created. */
  learned(topics: Iterable<string>): void {
    for (const topic of topics) {
      this.existing.add(topic);
      this.missingSince.delete(topic);
    }
  }

  /** A send said these are gone: the next send naming them asks the cluster again. */
  forget(topics: Iterable<string>): void {
    for (const topic of topics) {
      this.existing.delete(topic);
      this.missingSince.delete(topic);
    }
  }
}
