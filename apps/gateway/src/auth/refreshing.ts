export interface RefreshingOptions {
  /** A value older than this is fetched again before it is used. */
  maxAgeMs: number;
  /** Fetches start at most this often, whatever asks for them (an unknown kid, an unknown issuer). */
  cooldownMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * A value fetched from elsewhere (a key set, the provider directory) and
 * kept: concurrent askers share one fetch, fetches are rate-limited, a stale
 * value is used while a fetch fails, and `fresh(since)` answers a value
 * fetched after `since`, so a key made a moment ago is always found.
 */
export class Refreshing<T> {
  private value: T | undefined;
  private valueStartedAt = Number.NEGATIVE_INFINITY;
  private lastStart = Number.NEGATIVE_INFINITY;
  private inflight: { startedAt: number; promise: Promise<T> } | undefined;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly load: () => Promise<T>,
    private readonly options: RefreshingOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** The kept value unless it is older than maxAgeMs; then a new one, or the old one if that fails. */
  async get(): Promise<T> {
    const since = this.now() - this.options.maxAgeMs + 1;
    if (this.value !== undefined && this.valueStartedAt >= since) return this.value;
    try {
      return await this.fresh(since);
    } catch (error) {
      if (this.value !== undefined) return this.value;
      throw error;
    }
  }

  /** A value from a fetch that started at or after `since` (now, by default). */
  async fresh(since = this.now()): Promise<T> {
    for (;;) {
      if (this.value !== undefined && this.valueStartedAt >= since) return this.value;
      if (this.inflight) {
        if (this.inflight.startedAt >= since) return this.inflight.promise;
        await this.inflight.promise.catch(() => undefined);
        continue;
      }
      const wait = this.lastStart + this.options.cooldownMs - this.now();
      if (wait > 0) {
        await this.sleep(wait);
        continue;
      }
      return this.start();
    }
  }

  private start(): Promise<T> {
    const startedAt = this.now();
    this.lastStart = startedAt;
    const promise = this.load().then((value) => {
      this.value = value;
      this.valueStartedAt = startedAt;
      return value;
    });
    const inflight = { startedAt, promise };
    this.inflight = inflight;
    const settle = () => {
      if (this.inflight === inflight) this.inflight = undefined;
    };
    promise.then(settle, settle);
    return promise;
  }
}
