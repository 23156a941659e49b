import { DurationError } from '../errors/dsl.errors';

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

const WHOLE = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;

/**
 * `'500ms' '5s' '2m' '1h' '2d'`, compounds such as `'1h30m'`, or a number of
 * milliseconds (also as a digit-only string, which JSON clients sometimes send).
 * Returns whole milliseconds.
 */
export function parseDuration(value: string | number): number {
  if (typeof value === 'number') return checked(value, value);
  if (typeof value !== 'string') throw new DurationError(value);
  const text = value.trim().toLowerCase();
  if (/^\d+$/.test(text)) return checked(Number(text), value);
  if (!WHOLE.test(text)) throw new DurationError(value);
  let total = 0;
  for (const match of text.matchAll(PART)) {
    total += Number(match[1]) * UNIT_MS[match[2]];
  }
  return checked(total, value);
}

function checked(ms: number, original: unknown): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > Number.MAX_SAFE_INTEGER) {
    throw new DurationError(original);
  }
  return Math.round(ms);
}

/** Renders milliseconds back in the largest exact unit, for messages. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = UNIT_MS[unit];
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
