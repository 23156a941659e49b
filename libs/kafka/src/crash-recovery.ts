/**
 * Restarts a consumer that kafkajs gave up on.
 *
 * kafkajs restarts a crashed consumer only for errors it deems retriable. A
 * broker that came back empty answers "group coordinator not found" until it
 * has created its offsets topic, and kafkajs treats that as fatal: the
 * consumer stayed stopped for good and its service never ready again. This
 * starts it anew, with backoff, until it runs.
 *
 * The backoff stops growing at 5 s: every failed start while the broker is
 * away doubles it, so with a higher cap a consumer sat out up to that long
 * after the broker was back (a gateway's revocation and usage consumers kept
 * it not ready ~20 s after every other service, in the broker-restart fault).
 * A start attempt every 5 s per consumer costs the broker nothing.
 */
export class CrashRecovery {
  private failures = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly restart: () => Promise<void>,
    private readonly log: (message: string, extra: object) => void,
    private readonly maxDelayMs = 5_000,
  ) {}

  /** From the consumer's CRASH event: `kafkajsRestarts` is its payload's `restart`. */
  crashed(error: unknown, kafkajsRestarts: boolean): void {
    if (kafkajsRestarts || this.timer) return;
    const delayMs = Math.min(500 * 2 ** this.failures, this.maxDelayMs);
    this.failures++;
    this.log('consumer stopped by kafkajs; starting it again', {
      err: { message: (error as Error)?.message ?? String(error) },
      delayMs,
    });
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.restart().then(
        () => {
          this.failures = 0;
        },
        (restartError: unknown) => this.crashed(restartError, false),
      );
    }, delayMs);
  }

  /** The consumer is being stopped on purpose: no restart. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
