import type { RetryPolicy } from '../model/workflow.types';
import {
  computeRetryDelay,
  DEFAULT_RETRY_POLICY,
  isRetryableError,
  mergeRetryPolicy,
  shouldRetry,
} from './retry-policy';

const policy = (overrides: Partial<RetryPolicy>): RetryPolicy =>
  mergeRetryPolicy(
    {
      maxAttempts: 5,
      backoff: 'exponential',
      initialDelayMs: 1_000,
      maxDelayMs: 30_000,
      jitter: false,
    },
    overrides,
  );

describe('computeRetryDelay', () => {
  it('doubles from the initial delay with exponential backoff', () => {
    const p = policy({ backoff: 'exponential' });
    expect([1, 2, 3, 4, 5].map((n) => computeRetryDelay(p, n))).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
  });

  it('grows by the initial delay with linear backoff', () => {
    const p = policy({ backoff: 'linear', initialDelayMs: 500 });
    expect([1, 2, 3, 4].map((n) => computeRetryDelay(p, n))).toEqual([500, 1_000, 1_500, 2_000]);
  });

  it('keeps the initial delay with fixed backoff', () => {
    const p = policy({ backoff: 'fixed', initialDelayMs: 750 });
    expect([1, 2, 10].map((n) => computeRetryDelay(p, n))).toEqual([750, 750, 750]);
  });

  it('caps every strategy at max_delay, even for huge attempt numbers', () => {
    expect(computeRetryDelay(policy({ backoff: 'exponential' }), 6)).toBe(30_000);
    expect(computeRetryDelay(policy({ backoff: 'exponential' }), 5_000)).toBe(30_000);
    expect(computeRetryDelay(policy({ backoff: 'linear', initialDelayMs: 10_000 }), 4)).toBe(
      30_000,
    );
    expect(computeRetryDelay(policy({ backoff: 'fixed', maxDelayMs: 1_000 }), 1)).toBe(1_000);
  });

  it('treats attempt numbers below 1 as the first attempt', () => {
    expect(computeRetryDelay(policy({}), 0)).toBe(1_000);
    expect(computeRetryDelay(policy({}), -3)).toBe(1_000);
  });

  it('applies equal jitter: between half and all of the delay', () => {
    const p = policy({ jitter: true });
    expect(computeRetryDelay(p, 3, () => 0)).toBe(2_000);
    expect(computeRetryDelay(p, 3, () => 0.5)).toBe(3_000);
    expect(computeRetryDelay(p, 3, () => 0.999_999)).toBe(4_000);
    for (let i = 0; i < 200; i += 1) {
      const delay = computeRetryDelay(p, 4);
      expect(delay).toBeGreaterThanOrEqual(4_000);
      expect(delay).toBeLessThanOrEqual(8_000);
    }
  });

  it('keeps jitter within the cap and clamps a misbehaving random source', () => {
    const p = policy({ jitter: true });
    expect(computeRetryDelay(p, 20, () => 0)).toBe(15_000);
    expect(computeRetryDelay(p, 20, () => 1)).toBe(30_000);
    expect(computeRetryDelay(p, 20, () => 7)).toBe(30_000);
    expect(computeRetryDelay(p, 20, () => -1)).toBe(15_000);
  });

  it('ignores the random source when jitter is off', () => {
    const random = jest.fn(() => 0.3);
    expect(computeRetryDelay(policy({}), 2, random)).toBe(2_000);
    expect(random).not.toHaveBeenCalled();
  });
});

describe('shouldRetry', () => {
  it('retries until max_attempts attempts have been made', () => {
    const p = policy({ maxAttempts: 3 });
    expect(shouldRetry(p, 1, 'system_error')).toBe(true);
    expect(shouldRetry(p, 2, 'timeout')).toBe(true);
    expect(shouldRetry(p, 3, 'system_error')).toBe(false);
  });

  it('never retries with the default policy (one attempt)', () => {
    expect(DEFAULT_RETRY_POLICY.maxAttempts).toBe(1);
    expect(shouldRetry(DEFAULT_RETRY_POLICY, 1, 'system_error')).toBe(false);
  });

  it('does not retry validation errors unless retry_on names them', () => {
    expect(shouldRetry(policy({}), 1, 'validation_error')).toBe(false);
    expect(shouldRetry(policy({}), 1, 'rate_limited')).toBe(true);
    const only = policy({ retryOn: ['timeout', 'validation_error'] });
    expect(shouldRetry(only, 1, 'validation_error')).toBe(true);
    expect(shouldRetry(only, 1, 'system_error')).toBe(false);
    expect(isRetryableError(only, 'timeout')).toBe(true);
  });
});

describe('mergeRetryPolicy', () => {
  it('overrides field by field and ignores undefined fields', () => {
    const merged = mergeRetryPolicy(DEFAULT_RETRY_POLICY, { maxAttempts: 4, jitter: undefined });
    expect(merged).toEqual({ ...DEFAULT_RETRY_POLICY, maxAttempts: 4 });
    expect(mergeRetryPolicy(DEFAULT_RETRY_POLICY, undefined)).toBe(DEFAULT_RETRY_POLICY);
  });
});
