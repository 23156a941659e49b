import { computeRetryDelay } from '@baton/workflow-dsl';

/** A pending delivery in a channel's window, oldest first, as the dispatcher reads it. */
export interface WindowRow {
  id: string;
  channel: string;
  lane: string;
  /** next_attempt_at has passed. */
  due: boolean;
  /** Not leased by a dispatcher that is delivering it right now. */
  free: boolean;
}

/**
 * The deliveries that may go now without breaking per-subject order. A window
 * holds a channel's oldest pending rows, so the first row of each lane in it
 * is that lane's head. From each head, consecutive rows are taken while they
 * are due and free; a lane whose head waits for its retry (or is being
 * delivered elsewhere) is skipped entirely, which is what keeps order.
 */
export function pickDeliverable(window: readonly WindowRow[], maxPerLane = 100): WindowRow[] {
  const blocked = new Set<string>();
  const taken = new Map<string, number>();
  const picked: WindowRow[] = [];
  for (const row of window) {
    const lane = `${row.channel}\n${row.lane}`;
    if (blocked.has(lane)) continue;
    const count = taken.get(lane) ?? 0;
    if (!row.due || !row.free || count >= maxPerLane) {
      blocked.add(lane);
      continue;
    }
    taken.set(lane, count + 1);
    picked.push(row);
  }
  return picked;
}

export interface RetrySettings {
  maxAttempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export type FailureOutcome = { dead: true } | { dead: false; delayMs: number };

/**
 * After attempt `attempts` failed: dead-letter it when it was the last allowed
 * (or retrying cannot help), else wait an exponential, jittered delay.
 */
export function afterFailure(
  settings: RetrySettings,
  attempts: number,
  permanent: boolean,
  random: () => number = Math.random,
): FailureOutcome {
  if (permanent || attempts >= settings.maxAttempts) return { dead: true };
  const delayMs = computeRetryDelay(
    {
      maxAttempts: settings.maxAttempts,
      backoff: 'exponential',
      initialDelayMs: settings.initialDelayMs,
      maxDelayMs: settings.maxDelayMs,
      jitter: true,
    },
    attempts,
    random,
  );
  return { dead: false, delayMs };
}
