/**
 * Coalesces concurrent sends into one request. kafkajs' idempotent producer
 * must keep one request in flight (concurrent requests to a partition break
 * its sequence numbers), so under load every publish would queue behind the
 * previous one. Instead, whatever arrives while a request is in flight leaves
 * together in the next one: latency at low load is unchanged, throughput
 * grows with concurrency, and per-producer order is kept (batches are FIFO).
 */
export class SendCoalescer<T> {
  private queue: { items: T[]; resolve: () => void; reject: (error: unknown) => void }[] = [];
  private sending = false;

  /**
   * `affects` says whether a failed send failed a given item: a send that
   * failed only for some topics fails only the submissions that named them,
   * and the others (sent after all) resolve.
   */
  constructor(
    private readonly send: (items: T[]) => Promise<void>,
    private readonly maxItemsPerSend = 1000,
    private readonly affects: (error: unknown, item: T) => boolean = () => true,
  ) {}

  submit(items: T[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ items, resolve, reject });
      if (!this.sending) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.sending = true;
    while (this.queue.length > 0) {
      const batch = this.takeBatch();
      try {
        await this.send(batch.flatMap((entry) => entry.items));
        for (const entry of batch) entry.resolve();
      } catch (error) {
        for (const entry of batch) {
          if (entry.items.some((item) => this.affects(error, item))) entry.reject(error);
          else entry.resolve();
        }
      }
    }
    this.sending = false;
  }

  /** Whole submissions only, so one caller's messages never straddle two requests. */
  private takeBatch() {
    const batch = [this.queue.shift()!];
    let count = batch[0].items.length;
    while (this.queue.length > 0 && count + this.queue[0].items.length <= this.maxItemsPerSend) {
      const next = this.queue.shift()!;
      count += next.items.length;
      batch.push(next);
    }
    return batch;
  }
}
