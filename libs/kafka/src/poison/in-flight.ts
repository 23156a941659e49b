/** A handler that did not settle in time: it is abandoned and counts as a failed attempt. */
export class HandlerTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`handler exceeded ${timeoutMs} ms`);
    this.name = 'HandlerTimeoutError';
  }
}

/**
 * The handler invocations of one consumer that are still running, with when
 * each began: how long the consumer has been stuck (for readiness), and
 * where a handler that never settles is given up on.
 */
export class InFlight {
  /** Insertion order is start order, so the first entry is always the oldest. */
  private readonly running = new Map<number, number>();
  private next = 0;

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Runs `work`; after `timeoutMs` (0: never) it rejects with
   * HandlerTimeoutError and stops counting as running, while the abandoned
   * promise is left to settle on its own: nothing can cancel it.
   */
  async run<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
    const id = this.next++;
    this.running.set(id, this.now());
    let timer: NodeJS.Timeout | undefined;
    try {
      if (timeoutMs <= 0) return await work();
      const abandoned = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new HandlerTimeoutError(timeoutMs)), timeoutMs);
      });
      return await Promise.race([work(), abandoned]);
    } finally {
      clearTimeout(timer);
      this.running.delete(id);
    }
  }

  /** How long the oldest invocation still running has been running; 0 when none is. */
  stalledForMs(now: number = this.now()): number {
    for (const startedAt of this.running.values()) return Math.max(0, now - startedAt);
    return 0;
  }
}
