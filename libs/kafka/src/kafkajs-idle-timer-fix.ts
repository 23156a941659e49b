/**
 * kafkajs 2.2.4 (its last release) keeps a timer spinning on every broker
 * connection: RequestQueue.scheduleCheckPendingRequests re-arms itself after
 * every check, with a negative delay when nothing is throttled, so the check
 * runs again about every millisecond whether or not a request is waiting
 * (tulios/kafkajs#1556 and #1704; the fix, PR #1667, was never released).
 * A Baton service holds several connections, and each of its processes woke
 * about 1,200 times a second while idle; on a small machine those wake-ups
 * take the CPU from the work being done.
 *
 * The replacement schedules a check only while requests are pending: then it
 * waits out the client-side throttle, or polls every 10 ms as kafkajs does
 * when only the in-flight limit holds them (a fulfilled request checks the
 * queue at once anyway). With nothing pending there is nothing to check: a
 * new request is sent at once, or queued and scheduled by push().
 */

/** The private RequestQueue state the replacement reads and writes, as kafkajs 2.2.4 names it. */
interface RequestQueueState {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

/** The versions known to carry the bug and to name the state as above. */
const PATCHED_VERSIONS = new Set(['2.2.4']);

/** kafkajs' own interval for re-checking pending requests held by the in-flight limit. */
const PENDING_CHECK_INTERVAL_MS = 10;

export function scheduleCheckOnlyWhilePending(this: RequestQueueState): void {
  if (this.throttleCheckTimeoutId || this.pending.length === 0) return;
  const untilUnthrottled = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilUnthrottled > 0 ? untilUnthrottled : PENDING_CHECK_INTERVAL_MS,
  );
}

let applied = false;

/**
 * Replaces the method on kafkajs' RequestQueue, once per process. Returns
 * whether the fix is in place; another kafkajs version is left untouched.
 */
export function fixKafkajsIdleTimer(): boolean {
  if (applied) return true;
  // Internal modules: required here, not imported, because kafkajs declares no types for them.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('kafkajs/package.json') as { version: string };
  if (!PATCHED_VERSIONS.has(version)) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const RequestQueue = require('kafkajs/src/network/requestQueue') as {
    prototype: RequestQueueState;
  };
  RequestQueue.prototype.scheduleCheckPendingRequests = scheduleCheckOnlyWhilePending;
  applied = true;
  return true;
}
