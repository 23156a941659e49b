import type { JsonSchema } from './connector';

/**
 * `config.resilience` of every connection: the same knobs for every
 * connector, with defaults that suit a typical SaaS API.
 */
export interface Resilience {
  /** One attempt's limit; a call that passes it fails as `timeout`. */
  timeout_ms: number;
  /** Extra attempts for idempotent operations after a system_error or timeout (never for others). */
  retries: number;
  /** Token bucket: sustained calls per second, and the burst above it. 0 = no limit. */
  rate_per_second: number;
  burst: number;
  /** Bulkhead: calls in flight at once to this connection, and calls that may wait for a slot. */
  max_concurrent: number;
  max_queued: number;
  /** Breaker: opens when this percentage of calls in the window failed (after `breaker_min_calls`). */
  breaker_error_percent: number;
  breaker_min_calls: number;
  breaker_window_ms: number;
  /** How long it stays open before one trial call (half-open). */
  breaker_reset_ms: number;
}

export const DEFAULT_RESILIENCE: Resilience = {
  timeout_ms: 10_000,
  retries: 2,
  rate_per_second: 0,
  burst: 10,
  max_concurrent: 8,
  max_queued: 32,
  breaker_error_percent: 50,
  breaker_min_calls: 5,
  breaker_window_ms: 30_000,
  breaker_reset_ms: 15_000,
};

const int = (minimum: number, maximum: number, description: string) => ({
  type: 'integer',
  minimum,
  maximum,
  description,
});

export const RESILIENCE_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: 'Timeouts, retries, rate limit, bulkhead and circuit breaker of this connection',
  properties: {
    timeout_ms: int(100, 300_000, 'one attempt, in ms (default 10000)'),
    retries: int(0, 5, 'extra attempts of idempotent operations (default 2)'),
    rate_per_second: { type: 'number', minimum: 0, maximum: 100_000, description: '0 = no limit' },
    burst: int(1, 100_000, 'token bucket size (default 10)'),
    max_concurrent: int(1, 1_000, 'calls in flight at once (default 8)'),
    max_queued: int(0, 10_000, 'calls waiting for a slot before failing fast (default 32)'),
    breaker_error_percent: int(1, 100, 'failure percentage that opens the breaker (default 50)'),
    breaker_min_calls: int(1, 10_000, 'calls in the window before it may open (default 5)'),
    breaker_window_ms: int(1_000, 3_600_000, 'rolling window (default 30000)'),
    breaker_reset_ms: int(100, 3_600_000, 'open time before a trial call (default 15000)'),
  },
};

export function resilienceOf(config: Record<string, unknown>): Resilience {
  const given = config.resilience;
  return {
    ...DEFAULT_RESILIENCE,
    ...(given && typeof given === 'object' ? (given as Partial<Resilience>) : {}),
  };
}

/**
 * A token bucket on an injected clock. `reserve()` takes a token and says
 * how long to wait for it (0 when one was there), so waiting callers queue
 * in order; `pauseUntil` honours a target's Retry-After for every caller.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;
  private pausedUntil = 0;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Milliseconds to wait before the call may go (the token is already taken). */
  reserve(): number {
    const now = this.now();
    const pause = Math.max(0, this.pausedUntil - now);
    if (this.ratePerSecond <= 0) return pause;
    this.tokens = Math.min(
      this.burst,
      this.tokens + ((now - this.last) * this.ratePerSecond) / 1000,
    );
    this.last = now;
    this.tokens -= 1;
    const wait = this.tokens >= 0 ? 0 : Math.ceil((-this.tokens * 1000) / this.ratePerSecond);
    return Math.max(wait, pause);
  }

  /** Gives back a token that was reserved but not used (the caller gave up waiting). */
  refund(): void {
    if (this.ratePerSecond > 0) this.tokens = Math.min(this.burst, this.tokens + 1);
  }

  pauseUntil(at: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, at);
  }

  available(): number {
    if (this.ratePerSecond <= 0) return Infinity;
    const now = this.now();
    return Math.min(this.burst, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
  }
}

/** A Retry-After header (seconds or an HTTP date) in ms, capped; undefined when absent or unreadable. */
export function retryAfterMs(
  value: string | null | undefined,
  now = Date.now(),
  cap = 300_000,
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(cap, Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.min(cap, Math.max(0, at - now));
}

/** A semaphore with a bounded queue: a slow system holds at most `max` slots, and the rest fail fast. */
export class Bulkhead {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(
    private readonly max: number,
    private readonly maxQueued: number,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves with a release function, or false when the slots and the queue are full. */
  async acquire(signal?: AbortSignal): Promise<(() => void) | false> {
    if (this.active < this.max) {
      this.active++;
      return this.releaser();
    }
    if (this.waiting.length >= this.maxQueued) return false;
    return new Promise((resolve) => {
      const wake = () => {
        signal?.removeEventListener('abort', abort);
        this.active++;
        resolve(this.releaser());
      };
      const abort = () => {
        const at = this.waiting.indexOf(wake);
        if (at >= 0) this.waiting.splice(at, 1);
        resolve(false);
      };
      this.waiting.push(wake);
      signal?.addEventListener('abort', abort, { once: true });
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.active--;
      this.waiting.shift()?.();
    };
  }
}

/** Backoff between in-call retries: 200 ms, 400 ms, 800 ms… or the target's Retry-After. */
export function retryDelayMs(attempt: number, retryAfter?: number): number {
  return retryAfter ?? Math.min(5_000, 200 * 2 ** (attempt - 1));
}
