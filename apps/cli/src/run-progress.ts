import type { RunView, StoredEventView } from '../../../libs/sdk/src/client';
import { durationText } from './output/render';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);

export function isTerminal(status: string): boolean {
  return TERMINAL.has(status);
}

interface LifecycleData {
  step?: string;
  attempt?: number;
  status?: string;
  error?: { type?: string; message?: string };
  duration_ms?: number;
}

/**
 * One line per run event, as `baton run --wait` and `baton logs -f` show them:
 *   10:02:03  ▶ step classify started
 *   10:02:03  ✓ step classify completed
 *   10:02:04  ✗ step route failed (attempt 2): timeout: no answer in 5s
 * Undefined for events that say nothing new to a person.
 */
export function progressLine(
  event: Pick<StoredEventView, 'type' | 'time' | 'data'>,
): string | undefined {
  const data = (event.data ?? {}) as LifecycleData;
  const time = clock(event.time);
  const attempt = data.attempt && data.attempt > 1 ? ` (attempt ${data.attempt})` : '';
  const error = data.error ? `: ${data.error.type ?? 'error'}: ${data.error.message ?? ''}` : '';
  const [, scope, what] = event.type.split('.');
  if (!scope || !what) return `${time}  · ${event.type}`;
  const mark = MARKS[what] ?? '·';
  const subject = scope === 'step' ? `step ${data.step ?? '?'}` : scope;
  return `${time}  ${mark} ${subject} ${what}${attempt}${error}`;
}

const MARKS: Record<string, string> = {
  started: '▶',
  completed: '✓',
  failed: '✗',
  cancelled: '■',
  paused: '⏸',
  resumed: '▶',
  retried: '↻',
  skipped: '»',
};

/** The summary after the last event: status, duration, and the error when it failed. */
export function runSummary(run: RunView): string {
  const took =
    run.finished_at !== null
      ? ` in ${durationText(Date.parse(run.finished_at) - Date.parse(run.created_at))}`
      : '';
  const error = run.error ? `: ${run.error.type}: ${run.error.message}` : '';
  return `run ${run.id} ${run.status}${took}${error}`;
}

function clock(time: string): string {
  const date = new Date(time);
  return Number.isNaN(date.getTime()) ? time : date.toISOString().slice(11, 19);
}
