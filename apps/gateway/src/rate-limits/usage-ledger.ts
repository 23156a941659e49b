import type { EffectiveLimits } from '@baton/contracts';

/** One count of one scope (a key or a workspace) in one fixed window. */
interface Count {
  windowMs: number;
  window: number;
  count: number;
}

/** What a replica broadcasts on baton.gateway.usage (absolute counts: re-sending is harmless). */
export interface UsageReport {
  replica: string;
  /** [scope, window index, count in that window] */
  counts: [string, number, number][];
  /** Open event streams per workspace on that replica; a workspace left out has none. */
  streams: [string, number][];
  /** Workspaces whose limits were changed through that replica: forget their cached limits. */
  limits_changed: string[];
}

export type LimitName = 'requests_per_key' | 'requests_per_workspace';

export interface Decision {
  allowed: boolean;
  /** Which limit refused the request. */
  limit?: LimitName;
  /** The request limit that is nearest to being reached, and what is left of it. */
  ceiling: number;
  remaining: number;
  /** Seconds until the current window ends (at least 1). */
  resetSeconds: number;
}

export interface Usage {
  key_requests: number;
  workspace_requests: number;
  sse_streams: number;
  window_resets_in_seconds: number;
}

const MAX_COUNTS_PER_REPORT = 2_000;
const MAX_REPORT_ENTRIES = 100_000;
/** Longer than any scope a gateway makes (ids are bounded where they are issued). */
const MAX_SCOPE_LENGTH = 600;

const windowOf = (now: number, windowMs: number): number => Math.floor(now / windowMs);
const keyScope = (workspaceId: string, keyId: string, windowMs: number): string =>
  `k:${windowMs}:${workspaceId}:${keyId}`;
const workspaceScope = (workspaceId: string, windowMs: number): string =>
  `w:${windowMs}:${workspaceId}`;
/** The window length a scope was counted in, read back from its name. */
const windowMsOf = (scope: string): number => Number(scope.split(':', 2)[1]);

/**
 * Request counts in fixed windows, and open event streams, of this gateway
 * replica and of every other replica as their last reports said. A request
 * is let through when this replica's count plus the others' stays under the
 * limit; everything here is in memory, so the request path makes no call.
 *
 * Replicas hear of each other's counts one broadcast late: together they may
 * let through up to one broadcast interval's worth of requests over a limit.
 */
export class UsageLedger {
  private readonly local = new Map<string, Count>();
  private readonly changed = new Set<string>();
  private readonly remote = new Map<string, Map<string, Count>>();
  /** The sum over other replicas of their latest counts, per scope. */
  private readonly remoteTotal = new Map<string, Count>();
  private readonly localStreams = new Map<string, number>();
  private readonly remoteStreams = new Map<
    string,
    { seenAt: number; streams: Map<string, number> }
  >();
  private readonly limitsChanged = new Set<string>();

  constructor(
    readonly replica: string,
    /** A replica not heard from for this long holds no streams any more (it stopped or died). */
    private readonly streamsStaleMs = 10_000,
  ) {}

  /** Counts the request if both of the workspace's request limits have room for it. */
  tryRequest(workspaceId: string, keyId: string, limits: EffectiveLimits, now: number): Decision {
    const windowMs = limits.window_seconds * 1000;
    const window = windowOf(now, windowMs);
    const resetSeconds = Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000));
    const kScope = keyScope(workspaceId, keyId, windowMs);
    const wScope = workspaceScope(workspaceId, windowMs);
    const keyUsed = this.used(kScope, window);
    const workspaceUsed = this.used(wScope, window);
    const keyLeft = limits.requests_per_key - keyUsed;
    const workspaceLeft = limits.requests_per_workspace - workspaceUsed;
    const [ceiling, left] =
      keyLeft <= workspaceLeft
        ? [limits.requests_per_key, keyLeft]
        : [limits.requests_per_workspace, workspaceLeft];
    if (keyLeft <= 0 || workspaceLeft <= 0) {
      return {
        allowed: false,
        limit: keyLeft <= 0 ? 'requests_per_key' : 'requests_per_workspace',
        ceiling,
        remaining: 0,
        resetSeconds,
      };
    }
    this.increment(kScope, windowMs, window);
    this.increment(wScope, windowMs, window);
    return { allowed: true, ceiling, remaining: left - 1, resetSeconds };
  }

  /** What this replica knows of a key's and its workspace's use in the current window. */
  usage(workspaceId: string, keyId: string, limits: EffectiveLimits, now: number): Usage {
    const windowMs = limits.window_seconds * 1000;
    const window = windowOf(now, windowMs);
    return {
      key_requests: this.used(keyScope(workspaceId, keyId, windowMs), window),
      workspace_requests: this.used(workspaceScope(workspaceId, windowMs), window),
      sse_streams: this.streams(workspaceId, now),
      window_resets_in_seconds: Math.max(1, Math.ceil(((window + 1) * windowMs - now) / 1000)),
    };
  }

  /** Takes a stream slot if the workspace holds fewer than `cap` streams across replicas. */
  openStream(workspaceId: string, cap: number, now: number): boolean {
    if (this.streams(workspaceId, now) >= cap) return false;
    this.localStreams.set(workspaceId, (this.localStreams.get(workspaceId) ?? 0) + 1);
    return true;
  }

  closeStream(workspaceId: string): void {
    const open = (this.localStreams.get(workspaceId) ?? 0) - 1;
    if (open > 0) this.localStreams.set(workspaceId, open);
    else this.localStreams.delete(workspaceId);
  }

  /** Open streams of the workspace on every replica heard from lately. */
  streams(workspaceId: string, now: number): number {
    let open = this.localStreams.get(workspaceId) ?? 0;
    for (const [replica, report] of this.remoteStreams) {
      if (now - report.seenAt > this.streamsStaleMs) {
        this.remoteStreams.delete(replica);
        continue;
      }
      open += report.streams.get(workspaceId) ?? 0;
    }
    return open;
  }

  limitsChangedHere(workspaceId: string): void {
    this.limitsChanged.add(workspaceId);
  }

  /**
   * The reports to broadcast now: the counts changed since the last call (or
   * all of the current windows' with `full`, so that a replica that joined
   * late catches up), every open stream, and limit changes. Several reports
   * when there are many counts, so no message grows past Kafka's limit.
   */
  reports(now: number, full: boolean): UsageReport[] {
    this.prune(now);
    const scopes = full ? [...this.local.keys()] : [...this.changed];
    this.changed.clear();
    const counts: [string, number, number][] = [];
    for (const scope of scopes) {
      const entry = this.local.get(scope);
      if (entry) counts.push([scope, entry.window, entry.count]);
    }
    const streams = [...this.localStreams.entries()];
    const limitsChanged = [...this.limitsChanged];
    this.limitsChanged.clear();
    const reports: UsageReport[] = [];
    for (let start = 0; start === 0 || start < counts.length; start += MAX_COUNTS_PER_REPORT) {
      reports.push({
        replica: this.replica,
        counts: counts.slice(start, start + MAX_COUNTS_PER_REPORT),
        streams,
        limits_changed: start === 0 ? limitsChanged : [],
      });
    }
    return reports;
  }

  /**
   * Takes in another replica's report; the workspaces whose limits it changed
   * are returned. Counts only grow within a window, so a late or repeated
   * report changes nothing. Malformed entries are skipped.
   */
  apply(report: UsageReport, now: number): string[] {
    if (report.replica === this.replica) return [];
    let counts = this.remote.get(report.replica);
    if (!counts) this.remote.set(report.replica, (counts = new Map()));
    for (const entry of report.counts.slice(0, MAX_REPORT_ENTRIES)) {
      if (!Array.isArray(entry) || entry.length !== 3) continue;
      const [scope, window, count] = entry;
      if (typeof scope !== 'string' || scope.length > MAX_SCOPE_LENGTH) continue;
      if (!Number.isSafeInteger(window)) continue;
      if (!Number.isSafeInteger(count) || count < 0) continue;
      const windowMs = windowMsOf(scope);
      if (!Number.isSafeInteger(windowMs) || windowMs <= 0) continue;
      // A report of a window long past (a replica whose clock is far off) is dropped.
      if (window < windowOf(now, windowMs) - 1) continue;
      const previous = counts.get(scope);
      if (previous && previous.window > window) continue;
      const before = previous && previous.window === window ? previous.count : 0;
      if (count <= before) continue;
      counts.set(scope, { windowMs, window, count });
      const total = this.remoteTotal.get(scope);
      if (!total || total.window < window) {
        this.remoteTotal.set(scope, { windowMs, window, count: count - before });
      } else if (total.window === window) {
        total.count += count - before;
      }
    }
    const streams = new Map<string, number>();
    for (const entry of report.streams.slice(0, MAX_REPORT_ENTRIES)) {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || entry[0].length > 100) continue;
      if (Number.isSafeInteger(entry[1]) && entry[1] > 0) streams.set(entry[0], entry[1]);
    }
    this.remoteStreams.set(report.replica, { seenAt: now, streams });
    return report.limits_changed.filter((id) => typeof id === 'string');
  }

  /** Forgets counts of windows that have ended. */
  prune(now: number): void {
    const ended = (entry: Count) => entry.window < windowOf(now, entry.windowMs);
    for (const [scope, entry] of this.local) {
      if (ended(entry)) {
        this.local.delete(scope);
        this.changed.delete(scope);
      }
    }
    for (const [scope, entry] of this.remoteTotal) if (ended(entry)) this.remoteTotal.delete(scope);
    for (const [replica, counts] of this.remote) {
      for (const [scope, entry] of counts) if (ended(entry)) counts.delete(scope);
      if (counts.size === 0) this.remote.delete(replica);
    }
  }

  private used(scope: string, window: number): number {
    const mine = this.local.get(scope);
    const others = this.remoteTotal.get(scope);
    return (
      (mine?.window === window ? mine.count : 0) + (others?.window === window ? others.count : 0)
    );
  }

  private increment(scope: string, windowMs: number, window: number): void {
    const entry = this.local.get(scope);
    if (entry && entry.window === window) entry.count++;
    else this.local.set(scope, { windowMs, window, count: 1 });
    this.changed.add(scope);
  }
}
