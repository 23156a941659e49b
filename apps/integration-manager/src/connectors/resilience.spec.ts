import { Bulkhead, retryAfterMs, retryDelayMs, TokenBucket } from './resilience';
import { parseAllowedNetworks, TargetPolicy } from './target-policy';

describe('token bucket', () => {
  it('lets a burst through, then spaces calls at the rate', () => {
    let now = 0;
    const bucket = new TokenBucket(2, 2, () => now);
    expect([bucket.reserve(), bucket.reserve()]).toEqual([0, 0]);
    expect(bucket.reserve()).toBe(500);
    expect(bucket.reserve()).toBe(1000);
    now = 2000;
    expect(bucket.reserve()).toBe(0);
  });

  it('waits out a Retry-After for every caller, limit or not', () => {
    let now = 1000;
    const unlimited = new TokenBucket(0, 1, () => now);
    expect(unlimited.reserve()).toBe(0);
    unlimited.pauseUntil(4000);
    expect(unlimited.reserve()).toBe(3000);
    now = 4000;
    expect(unlimited.reserve()).toBe(0);
  });

  it('takes back a token nobody used', () => {
    const bucket = new TokenBucket(1, 1, () => 0);
    bucket.reserve();
    expect(bucket.reserve()).toBe(1000);
    bucket.refund();
    expect(bucket.reserve()).toBe(1000);
  });
});

describe('Retry-After', () => {
  it('reads seconds and dates, capped', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(
      retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
    ).toBe(10_000);
    expect(retryAfterMs('99999')).toBe(300_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
    expect(retryDelayMs(1)).toBe(200);
    expect(retryDelayMs(3)).toBe(800);
    expect(retryDelayMs(2, 1500)).toBe(1500);
  });
});

describe('bulkhead', () => {
  it('holds at most max calls, queues a few, and refuses the rest', async () => {
    const bulkhead = new Bulkhead(1, 1);
    const first = await bulkhead.acquire();
    expect(first).not.toBe(false);
    const queued = bulkhead.acquire();
    expect(await bulkhead.acquire()).toBe(false);
    expect([bulkhead.inFlight, bulkhead.queued]).toEqual([1, 1]);
    (first as () => void)();
    const second = await queued;
    expect(second).not.toBe(false);
    expect([bulkhead.inFlight, bulkhead.queued]).toEqual([1, 0]);
  });

  it('gives up waiting when the signal aborts', async () => {
    const bulkhead = new Bulkhead(1, 5);
    await bulkhead.acquire();
    const controller = new AbortController();
    const waiting = bulkhead.acquire(controller.signal);
    controller.abort();
    expect(await waiting).toBe(false);
    expect(bulkhead.queued).toBe(0);
  });
});

describe('connector target policy', () => {
  const resolve = async (host: string) =>
    ({
      'db.internal': ['10.0.0.5'],
      'db.example.com': ['93.184.216.34'],
      'sneaky.example.com': ['93.184.216.34', '192.168.0.9'],
    })[host] ?? [];

  it('reaches public hosts, and internal ones only in the allow-list; never link-local', async () => {
    const policy = new TargetPolicy(
      parseAllowedNetworks('127.0.0.1/32, 10.0.0.0/24'),
      false,
      resolve,
    );
    await expect(policy.address('db.example.com')).resolves.toBe('93.184.216.34');
    await expect(policy.address('db.internal')).resolves.toBe('10.0.0.5');
    await expect(policy.address('127.0.0.1')).resolves.toBe('127.0.0.1');
    expect(await policy.refusal('192.168.1.1')).toBe(
      '192.168.1.1 is an internal address not in CONNECTOR_ALLOWED_NETWORKS',
    );
    expect(await policy.refusal('169.254.169.254')).toContain('169.254.169.254 is');
    expect(await policy.refusal('sneaky.example.com')).toBe(
      'sneaky.example.com resolves to 192.168.0.9, an internal address not in CONNECTOR_ALLOWED_NETWORKS',
    );
  });

  it('leaves a name that does not resolve yet to the call, which refuses it then', async () => {
    const policy = new TargetPolicy(parseAllowedNetworks(''), false, resolve);
    expect(await policy.refusal('not-yet.example.com')).toBeNull();
    await expect(policy.address('not-yet.example.com')).rejects.toThrow('has no address');
  });

  it('refuses every internal address without an allow-list', async () => {
    const policy = new TargetPolicy(parseAllowedNetworks(''), false, resolve);
    expect(await policy.refusal('127.0.0.1')).not.toBeNull();
    expect(await policy.refusal('db.internal')).not.toBeNull();
    expect(await policy.refusal('::1')).not.toBeNull();
  });

  it('allows private networks wholesale for the webhook switch, except link-local', async () => {
    const policy = new TargetPolicy(parseAllowedNetworks(''), true, resolve);
    expect(await policy.refusal('192.168.1.1')).toBeNull();
    expect(await policy.refusal('169.254.169.254')).not.toBeNull();
  });

  it('names a bad allow-list entry', () => {
    expect(() => parseAllowedNetworks('10.0.0.0/33')).toThrow(
      "'10.0.0.0/33' is not an address or CIDR",
    );
    expect(() => parseAllowedNetworks('db.internal')).toThrow('db.internal');
  });
});
