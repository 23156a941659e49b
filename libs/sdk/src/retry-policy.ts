/** How the client retries answers that say "try again later" (429 and 503). */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 turns retrying off). */
  maxRetries?: number;
  /** The first backoff (default 250 ms), doubled each retry, with full jitter. */
  baseDelayMs?: number;
  /** No wait is longer than this (default 20 s); a longer Retry-After is not waited for. */
  maxDelayMs?: number;
}

export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 503]);

const DEFAULTS: Required<RetryOptions> = { maxRetries: 3, baseDelayMs: 250, maxDelayMs: 20_000 };

export function retryDefaults(options: RetryOptions = {}): Required<RetryOptions> {
  return { ...DEFAULTS, ...options };
}

/**
 * The wait before retry number `retry` (1-based), or undefined to stop: the
 * server's Retry-After when it gave one (so a rate limit is not hammered),
 * else exponential backoff with full jitter (so many clients do not retry in step).
 */
export function retryDelayMs(
  retry: number,
  retryAfterSeconds: number | undefined,
  options: Required<RetryOptions>,
  random: () => number = Math.random,
): number | undefined {
  if (retry > options.maxRetries) return undefined;
  if (retryAfterSeconds !== undefined) {
    const wanted = retryAfterSeconds * 1000;
    return wanted > options.maxDelayMs ? undefined : wanted;
  }
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
export function parseRetryAfter(
  value: string | null,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, Math.ceil((date - now) / 1000));
}
