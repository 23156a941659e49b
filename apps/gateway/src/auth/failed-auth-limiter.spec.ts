import { aggregateAuditMessage, FailedAuthWindows } from './failed-auth-limiter';

const refusal = (ip: string, reason: 'bad_credential' | 'forbidden' = 'bad_credential') => ({
  ip,
  reason,
  status: reason === 'forbidden' ? 403 : 401,
  path: '/v1/agents',
});

describe('FailedAuthWindows', () => {
  it('limits an address after N failed authentications until its window ends', () => {
    const windows = new FailedAuthWindows(3, 60_000);
    const t0 = 120_000; // the start of a window
    for (let i = 0; i < 3; i++) {
      expect(windows.retryAfterSeconds('10.0.0.1', t0 + i)).toBe(0);
      windows.record(refusal('10.0.0.1'), t0 + i);
    }
    expect(windows.retryAfterSeconds('10.0.0.1', t0 + 10_000)).toBe(50);
    expect(windows.retryAfterSeconds('10.0.0.2', t0 + 10_000)).toBe(0);
    expect(windows.retryAfterSeconds('10.0.0.1', t0 + 60_000)).toBe(0);
  });

  it('does not count refusals that are not failed authentications toward the limit', () => {
    const windows = new FailedAuthWindows(1, 60_000);
    windows.record(refusal('10.0.0.1', 'forbidden'), 0);
    expect(windows.retryAfterSeconds('10.0.0.1', 1)).toBe(0);
  });

  it('makes one audit record per address and window, published once the window ended', () => {
    const windows = new FailedAuthWindows(100, 10_000);
    for (let i = 0; i < 50; i++) windows.record(refusal('10.0.0.1'), 1_000 + i);
    windows.record(refusal('10.0.0.2'), 2_000);
    windows.record(refusal('10.0.0.1'), 11_000); // the next window
    expect(windows.takeFinished(9_999)).toEqual([]);
    const done = windows.takeFinished(10_000);
    expect(done.map((a) => [a.ip, a.attempts])).toEqual([
      ['10.0.0.1', 50],
      ['10.0.0.2', 1],
    ]);
    expect(windows.takeFinished(10_001)).toEqual([]);
    const message = aggregateAuditMessage(done[0]);
    expect(message.envelope.workspaceid).toBe('system');
    expect(message.envelope.id).toBe(done[0].id);
    expect(message.envelope.data).toMatchObject({
      action: 'auth.refused',
      outcome: 'denied',
      details: { attempts: 50, by_reason: { bad_credential: 50 } },
    });
    expect(windows.takeFinished(0, true).map((a) => a.attempts)).toEqual([1]);
  });

  it('keeps memory bounded under a spray of addresses', () => {
    const windows = new FailedAuthWindows(5, 60_000, 10);
    for (let i = 0; i < 1_000; i++) windows.record(refusal(`10.0.${i >> 8}.${i & 255}`), i);
    const done = windows.takeFinished(0, true);
    expect(done.length).toBeLessThanOrEqual(11);
    expect(done.reduce((sum, a) => sum + a.attempts, 0)).toBe(1_000);
  });
});
