import type { EffectiveLimits } from '@baton/contracts';
import { UsageLedger, type UsageReport } from './usage-ledger';

const limits = (overrides: Partial<EffectiveLimits> = {}): EffectiveLimits => ({
  requests_per_key: 5,
  requests_per_workspace: 8,
  window_seconds: 60,
  sse_streams: 2,
  ...overrides,
});

// 10 s into a 60 s window.
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % 60_000) + 10_000;

/** Passes every report of `from` to `to`, as the broadcast topic would. */
function deliver(from: UsageLedger, to: UsageLedger, now: number, full = false): void {
  for (const report of from.reports(now, full)) to.apply(report, now);
}

describe('UsageLedger', () => {
  it('lets a key through up to its limit, then refuses with the seconds left in the window', () => {
    const ledger = new UsageLedger('a');
    for (let i = 0; i < 5; i++) {
      const decision = ledger.tryRequest('acme', 'key-1', limits(), T0);
      expect(decision).toMatchObject({ allowed: true, remaining: 4 - i, ceiling: 5 });
    }
    expect(ledger.tryRequest('acme', 'key-1', limits(), T0)).toEqual({
      allowed: false,
      limit: 'requests_per_key',
      ceiling: 5,
      remaining: 0,
      resetSeconds: 50,
    });
    // A refused request is not counted: the key is back at the start of the next window.
    expect(ledger.tryRequest('acme', 'key-1', limits(), T0 + 50_000).allowed).toBe(true);
  });

  it('refuses the workspace once its keys together reach the workspace limit', () => {
    const ledger = new UsageLedger('a');
    for (let i = 0; i < 5; i++) ledger.tryRequest('acme', 'key-1', limits(), T0);
    for (let i = 0; i < 3; i++) {
      expect(ledger.tryRequest('acme', 'key-2', limits(), T0).allowed).toBe(true);
    }
    expect(ledger.tryRequest('acme', 'key-2', limits(), T0)).toMatchObject({
      allowed: false,
      limit: 'requests_per_workspace',
    });
    // Another workspace, and the same key id in another workspace, are counted apart.
    expect(ledger.tryRequest('other', 'key-1', limits(), T0).allowed).toBe(true);
  });

  it("adds the other replicas' reported counts to its own", () => {
    const a = new UsageLedger('a');
    const b = new UsageLedger('b');
    for (let i = 0; i < 3; i++) a.tryRequest('acme', 'key-1', limits(), T0);
    deliver(a, b, T0);
    expect(b.tryRequest('acme', 'key-1', limits(), T0)).toMatchObject({ remaining: 1 });
    expect(b.tryRequest('acme', 'key-1', limits(), T0).allowed).toBe(true);
    expect(b.tryRequest('acme', 'key-1', limits(), T0).allowed).toBe(false);
    deliver(b, a, T0);
    expect(a.tryRequest('acme', 'key-1', limits(), T0).allowed).toBe(false);
    expect(a.usage('acme', 'key-1', limits(), T0)).toMatchObject({ key_requests: 5 });
  });

  it('takes repeated, late and out-of-order reports without counting twice', () => {
    const a = new UsageLedger('a');
    const b = new UsageLedger('b');
    a.tryRequest('acme', 'key-1', limits(), T0);
    a.tryRequest('acme', 'key-1', limits(), T0);
    const older = a.reports(T0, true);
    a.tryRequest('acme', 'key-1', limits(), T0);
    const newer = a.reports(T0, true);
    for (const report of [...newer, ...older, ...newer]) b.apply(report, T0);
    expect(b.usage('acme', 'key-1', limits(), T0).key_requests).toBe(3);
  });

  it('sends only changed counts, and all of them when asked for a full report', () => {
    const a = new UsageLedger('a');
    a.tryRequest('acme', 'key-1', limits(), T0);
    a.tryRequest('acme', 'key-2', limits(), T0);
    expect(a.reports(T0, false)[0].counts).toHaveLength(3); // two keys and their workspace
    a.tryRequest('acme', 'key-1', limits(), T0);
    expect(
      a
        .reports(T0, false)[0]
        .counts.map(([scope]) => scope)
        .sort(),
    ).toEqual(['k:60000:acme:key-1', 'w:60000:acme']);
    expect(a.reports(T0, false)[0].counts).toHaveLength(0);
    expect(a.reports(T0, true)[0].counts).toHaveLength(3);
  });

  it('forgets ended windows, its own and the others', () => {
    const a = new UsageLedger('a');
    const b = new UsageLedger('b');
    a.tryRequest('acme', 'key-1', limits(), T0);
    deliver(a, b, T0);
    const later = T0 + 60_000;
    expect(b.usage('acme', 'key-1', limits(), later).key_requests).toBe(0);
    b.prune(later);
    a.prune(later);
    expect(a.reports(later, true)[0].counts).toHaveLength(0);
  });

  it('caps open streams across replicas and forgets a replica that went silent', () => {
    const a = new UsageLedger('a', 5_000);
    const b = new UsageLedger('b', 5_000);
    expect(a.openStream('acme', 2, T0)).toBe(true);
    deliver(a, b, T0);
    expect(b.openStream('acme', 2, T0)).toBe(true);
    expect(b.openStream('acme', 2, T0)).toBe(false);
    expect(b.streams('acme', T0)).toBe(2);
    a.closeStream('acme');
    deliver(a, b, T0 + 100);
    expect(b.openStream('acme', 2, T0 + 100)).toBe(true);
    // a reports nothing for longer than the stale time: its streams no longer count.
    expect(a.openStream('acme', 5, T0)).toBe(true);
    deliver(a, b, T0 + 200);
    expect(b.streams('acme', T0 + 200)).toBe(3);
    expect(b.streams('acme', T0 + 6_000)).toBe(2);
    expect(a.openStream('other', 0, T0)).toBe(false);
  });

  it('passes on limit changes once, and skips malformed entries', () => {
    const a = new UsageLedger('a');
    const b = new UsageLedger('b');
    a.limitsChangedHere('acme');
    const [report] = a.reports(T0, false);
    expect(b.apply(report, T0)).toEqual(['acme']);
    expect(a.reports(T0, false)[0].limits_changed).toEqual([]);
    const hostile = {
      replica: 'c',
      counts: [['k:0:acme:x', 1, 5], ['w:60000:acme', 1.5, 2], 'junk', ['w:60000:acme', 0, -1]],
      streams: [
        ['acme', -3],
        [7, 1],
      ],
      limits_changed: [],
    } as unknown as UsageReport;
    b.apply(hostile, T0);
    expect(b.usage('acme', 'x', limits(), T0)).toMatchObject({
      workspace_requests: 0,
      sse_streams: 0,
    });
  });

  it('ignores its own reports read back from the topic', () => {
    const a = new UsageLedger('a');
    a.tryRequest('acme', 'key-1', limits(), T0);
    for (const report of a.reports(T0, true)) a.apply(report, T0);
    expect(a.usage('acme', 'key-1', limits(), T0).key_requests).toBe(1);
  });
});
