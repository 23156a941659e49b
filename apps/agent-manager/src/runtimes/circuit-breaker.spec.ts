import { CircuitBreaker } from './circuit-breaker';

const options = { failureThreshold: 3, openMs: 1_000 };

describe('CircuitBreaker', () => {
  it('stays closed below the threshold and resets on success', () => {
    const breaker = new CircuitBreaker(options);
    breaker.onFailure(0);
    breaker.onFailure(0);
    expect(breaker.tryPass(0)).toBe(true);
    breaker.onSuccess();
    breaker.onFailure(0);
    breaker.onFailure(0);
    expect(breaker.snapshot(0)).toEqual({
      state: 'closed',
      consecutive_failures: 2,
      retry_at: null,
    });
  });

  it('opens after N consecutive failures and refuses until openMs passed', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.onFailure(100);
    expect(breaker.snapshot(100)).toEqual({
      state: 'open',
      consecutive_failures: 3,
      retry_at: 1_100,
    });
    expect(breaker.tryPass(500)).toBe(false);
    expect(breaker.snapshot(1_100).state).toBe('half_open');
  });

  it('lets exactly one trial through when half-open', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.onFailure(0);
    expect(breaker.tryPass(1_000)).toBe(true);
    expect(breaker.tryPass(1_001)).toBe(false);
  });

  it('closes when the trial succeeds', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.onFailure(0);
    breaker.tryPass(1_000);
    breaker.onSuccess();
    expect(breaker.tryPass(1_001)).toBe(true);
    expect(breaker.snapshot(1_001).state).toBe('closed');
  });

  it('opens again when the trial fails', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.onFailure(0);
    breaker.tryPass(1_000);
    breaker.onFailure(1_010);
    expect(breaker.snapshot(1_010)).toMatchObject({ state: 'open', retry_at: 2_010 });
    expect(breaker.tryPass(1_500)).toBe(false);
  });

  it('frees the trial slot when the trial never reports back', () => {
    const breaker = new CircuitBreaker(options);
    for (let i = 0; i < 3; i++) breaker.onFailure(0);
    expect(breaker.tryPass(1_000)).toBe(true);
    expect(breaker.tryPass(1_999)).toBe(false);
    expect(breaker.tryPass(2_000)).toBe(true);
  });
});
