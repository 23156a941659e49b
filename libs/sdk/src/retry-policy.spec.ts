import { parseRetryAfter, retryDefaults, retryDelayMs } from './retry-policy';

describe('retry policy', () => {
  const options = retryDefaults({ maxRetries: 3, baseDelayMs: 100, maxDelayMs: 1_000 });

  it('backs off exponentially with full jitter, capped', () => {
    expect(retryDelayMs(1, undefined, options, () => 1)).toBe(100);
    expect(retryDelayMs(2, undefined, options, () => 1)).toBe(200);
    expect(retryDelayMs(3, undefined, options, () => 0.5)).toBe(200);
    expect(retryDelayMs(3, undefined, { ...options, maxDelayMs: 300 }, () => 1)).toBe(300);
  });

  it('stops after maxRetries', () => {
    expect(retryDelayMs(4, undefined, options)).toBeUndefined();
  });

  it('waits what Retry-After says, and not at all when that is too long', () => {
    expect(retryDelayMs(1, 0, options)).toBe(0);
    expect(retryDelayMs(1, 1, options)).toBe(1_000);
    expect(retryDelayMs(1, 2, options)).toBeUndefined();
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});
