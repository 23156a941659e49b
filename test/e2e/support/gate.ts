import { eventually } from './platform';

/**
 * Holds agent tasks until the test lets them through, so a test can act on a
 * run while one of its steps is known to be in flight.
 */
export class Gate {
  private readonly opened = new Set<string>();
  private readonly arrivals = new Set<string>();

  /** Called by an agent handler: returns once `open(key)` was called. */
  async pass(key: string): Promise<void> {
    this.arrivals.add(key);
    while (!this.opened.has(key)) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  /** Resolves once a task reached `pass(key)`. */
  async arrived(key: string, timeoutMs = 20_000): Promise<void> {
    await eventually(
      async () => (this.arrivals.has(key) ? true : undefined),
      timeoutMs,
      `a task at gate ${key}`,
    );
  }

  open(key: string): void {
    this.opened.add(key);
  }

  openAll(): void {
    for (const key of this.arrivals) this.opened.add(key);
  }
}
