import { createHmac } from 'node:crypto';
import {
  callbackDelayMs,
  describeFailure,
  signCallback,
  verifyCallback,
  workspaceCallbackKey,
} from './callback-signature';

describe('callback signature', () => {
  it('signs each workspace with a key of its own, derived from the platform secret', () => {
    const master = 'platform-secret-0123456789';
    const a = workspaceCallbackKey(master, 'acme');
    expect(a).toBe(createHmac('sha256', master).update('baton-callback:acme').digest('hex'));
    expect(workspaceCallbackKey(master, 'globex')).not.toBe(a);
    expect(workspaceCallbackKey('another-platform-secret', 'acme')).not.toBe(a);
  });

  it('is sha256=<hex HMAC of the exact body>', () => {
    const body = '{"task_id":"t","status":"completed"}';
    const hex = createHmac('sha256', 'k3y-k3y-k3y-k3y!').update(body).digest('hex');
    expect(signCallback('k3y-k3y-k3y-k3y!', body)).toBe(`sha256=${hex}`);
  });

  it('verifies its own signature and refuses a changed body or another secret', () => {
    const body = Buffer.from('{"a":1}');
    const header = signCallback('secret-one-1234567', body);
    expect(verifyCallback('secret-one-1234567', body, header)).toBe(true);
    expect(verifyCallback('secret-one-1234567', '{"a":2}', header)).toBe(false);
    expect(verifyCallback('secret-two-1234567', body, header)).toBe(false);
    expect(verifyCallback('secret-one-1234567', body, 'sha256=00')).toBe(false);
  });
});

describe('callback backoff', () => {
  it('doubles from the base delay and stops at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => callbackDelayMs(n, 1_000, 10_000))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000,
    ]);
  });

  it('stays finite for huge attempt counts and treats 0 as the first', () => {
    expect(callbackDelayMs(10_000, 1_000, 600_000)).toBe(600_000);
    expect(callbackDelayMs(0, 500, 600_000)).toBe(500);
  });
});

describe('describeFailure', () => {
  it('names the status and keeps one short line of the answer', () => {
    expect(describeFailure(500, 'boom\n  went\tthe server')).toBe('HTTP 500: boom went the server');
    expect(describeFailure(503, '')).toBe('HTTP 503');
    expect(describeFailure(null, 'connect ECONNREFUSED').startsWith('connect')).toBe(true);
    expect(describeFailure(500, 'x'.repeat(1000)).length).toBeLessThan(320);
  });
});
