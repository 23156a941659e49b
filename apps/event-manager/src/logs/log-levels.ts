import { LOG_LEVELS, type LogLevel } from '@baton/contracts';

/** Levels are stored as numbers so that `level=warn` is one range condition. */
export function levelNumber(level: LogLevel): number {
  return LOG_LEVELS.indexOf(level);
}

export function levelName(value: number): LogLevel {
  return LOG_LEVELS[value] ?? 'info';
}
