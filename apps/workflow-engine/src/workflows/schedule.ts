import { CronExpressionParser } from 'cron-parser';

/**
 * Schedule arithmetic for `trigger: { schedule: "<cron>", timezone? }`. Five
 * fields are minutes..weekdays; six put seconds first (`*\/1 * * * * *`).
 * Pure: the poller passes the clock in.
 */

export interface ScheduleSpec {
  cron: string;
  timezone?: string | null;
}

/** The first occurrence strictly after `after`. */
export function nextFireAfter(schedule: ScheduleSpec, after: Date): Date {
  return CronExpressionParser.parse(schedule.cron, {
    currentDate: after,
    ...(schedule.timezone ? { tz: schedule.timezone } : {}),
  })
    .next()
    .toDate();
}

export interface Firing {
  /** The occurrence this firing stands for (also the run's idempotency key). */
  scheduledAt: Date;
  /** When to fire next. */
  next: Date;
  /** Occurrences that fell due while nobody was polling and are not fired. */
  skipped: number;
}

const MAX_COUNTED_SKIPS = 10_000;

/**
 * A due schedule fires once for its due occurrence, however many came due
 * while the engine was down; the next fire time is the first occurrence after
 * `now`, so a restart never fires a backlog.
 */
export function planFiring(schedule: ScheduleSpec, dueAt: Date, now: Date): Firing {
  const next = nextFireAfter(schedule, now > dueAt ? now : dueAt);
  let skipped = 0;
  for (
    let at = nextFireAfter(schedule, dueAt);
    at <= now && skipped < MAX_COUNTED_SKIPS;
    at = nextFireAfter(schedule, at)
  ) {
    skipped++;
  }
  return { scheduledAt: dueAt, next, skipped };
}
