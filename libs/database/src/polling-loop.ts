export interface PollingLoopOptions {
  /** One round of work; true when it found some, so the next round starts at once. */
  round: () => Promise<boolean | void>;
  /** The pause after a round that found nothing. */
  intervalMs: number;
  /** Told of each failed round; the loop backs off and goes on. */
  onError: (error: unknown, consecutiveFailures: number) => void;
  /** Pause before the first round too (work that is never urgent at start). */
  delayFirstRound?: boolean;
}

/** The longest pause after failures, so a recovered database is noticed soon. */
const MAX_FAILURE_BACKOFF_MS = 5_000;

/**
 * The loop behind every poller of durable work in Postgres (timers, schedules,
 * deliveries, replays, retention, the outbox): rounds back to back while there
 * is work, a pause when there is none, exponential backoff while rounds fail,
 * a wake-up for work announced in-process, and a stop that waits for the round
 * in progress.
 */
export class PollingLoop {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private pendingWake = false;

  constructor(private readonly options: PollingLoopOptions) {}

  /** False once stop() was asked: long rounds check it to end early. */
  get isRunning(): boolean {
    return this.running;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Starts the next round now instead of after the pause. */
  wake(): void {
    this.pendingWake = true;
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { intervalMs } = this.options;
    if (this.options.delayFirstRound) await this.pause(intervalMs);
    let failures = 0;
    while (this.running) {
      this.pendingWake = false;
      let foundWork = false;
      try {
        foundWork = (await this.options.round()) === true;
        failures = 0;
      } catch (error) {
        failures++;
        this.options.onError(error, failures);
      }
      if (!this.running) break;
      if (failures === 0 && (foundWork || this.pendingWake)) continue;
      const backoff = Math.min(100 * 2 ** failures, MAX_FAILURE_BACKOFF_MS);
      await this.pause(failures > 0 ? Math.max(intervalMs, backoff) : intervalMs);
    }
  }

  private pause(ms: number): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeUp = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeUp = done;
    });
  }
}
