import type { BackoffStrategy, RetryPolicy } from '../model/workflow.types';

export const BACKOFF_STRATEGIES: readonly BackoffStrategy[] = ['fixed', 'exponential', 'linear'];

/** Used when neither the workflow nor the step says anything: one attempt, no retry. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 1,
  backoff: 'exponential',
  initialDelayMs: 1_000,
  maxDelayMs: 60_000,
  jitter: false,
});

export const MAX_ATTEMPTS_LIMIT = 100;

/**
 * Error types never retried unless `retry_on` names them: the same input fails
 * again, a spent budget stays spent until its period turns, and a model that
 * broke a guardrail is a case for a handler (or `retry_on: [guardrail]` for a
 * model known to do better on a second try), not a blind retry.
 */
const NOT_RETRIED_BY_DEFAULT: readonly string[] = [
  'validation_error',
  'budget_exceeded',
  'guardrail',
];

/** Fields given explicitly override `base` one by one. */
export function mergeRetryPolicy(
  base: RetryPolicy,
  override: Partial<RetryPolicy> | undefined,
): RetryPolicy {
  if (!override) return base;
  const merged: { -readonly [K in keyof RetryPolicy]: RetryPolicy[K] } = { ...base };
  for (const key of Object.keys(override) as (keyof RetryPolicy)[]) {
    const value = override[key];
    if (value !== undefined) Object.assign(merged, { [key]: value });
  }
  return merged;
}

export function isRetryableError(policy: RetryPolicy, errorType: string): boolean {
  return policy.retryOn
    ? policy.retryOn.includes(errorType)
    : !NOT_RETRIED_BY_DEFAULT.includes(errorType);
}

/**
 * Whether a failed attempt should be retried. `attempt` is the 1-based number
 * of the attempt that just failed.
 */
export function shouldRetry(policy: RetryPolicy, attempt: number, errorType: string): boolean {
  return attempt < policy.maxAttempts && isRetryableError(policy, errorType);
}

/**
 * Delay in ms before attempt `attempt + 1`, after attempt `attempt` (1-based) failed.
 * exponential: initial·2^(attempt-1); linear: initial·attempt; fixed: initial; then
 * capped by maxDelayMs. Jitter is "equal jitter": half the delay is kept and the other
 * half is random, so retries spread out yet never come sooner than half the backoff.
 */
export function computeRetryDelay(
  policy: RetryPolicy,
  attempt: number,
  random: () => number = Math.random,
): number {
  const n = Math.max(1, Math.floor(attempt));
  let delay: number;
  switch (policy.backoff) {
    case 'fixed':
      delay = policy.initialDelayMs;
      break;
    case 'linear':
      delay = policy.initialDelayMs * n;
      break;
    case 'exponential':
      delay = policy.initialDelayMs * 2 ** (n - 1);
      break;
  }
  delay = Math.min(delay, policy.maxDelayMs);
  if (policy.jitter) {
    const r = Math.min(Math.max(random(), 0), 1);
    delay = delay / 2 + r * (delay / 2);
  }
  return Math.round(delay);
}
