import { DslCodes, DurationError } from '../errors/dsl.errors';
import { formatDuration, parseDuration } from './duration.parser';

describe('parseDuration', () => {
  it.each([
    ['500ms', 500],
    ['5s', 5_000],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['2d', 172_800_000],
    ['1.5s', 1_500],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    [' 10M ', 600_000],
    ['250', 250],
  ])('reads %p as %p ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('takes numbers as milliseconds', () => {
    expect(parseDuration(1000)).toBe(1000);
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(12.6)).toBe(13);
  });

  it.each(['5x', 's', '5 s s', '-5s', '1h-30m', 'ms500', '1e3s'])(
    'rejects %p with DSL.BAD_DURATION',
    (text) => {
      expect(() => parseDuration(text)).toThrow(DurationError);
      try {
        parseDuration(text);
      } catch (error) {
        expect((error as DurationError).code).toBe(DslCodes.badDuration);
        expect((error as DurationError).message).toContain(JSON.stringify(text));
      }
    },
  );

  it('rejects negative, infinite and non-numeric input', () => {
    expect(() => parseDuration(-1)).toThrow(DurationError);
    expect(() => parseDuration(Number.POSITIVE_INFINITY)).toThrow(DurationError);
    expect(() => parseDuration(Number.NaN)).toThrow(DurationError);
    expect(() => parseDuration('')).toThrow(DurationError);
    expect(() => parseDuration({} as unknown as string)).toThrow(DurationError);
  });

  it('formats milliseconds in the largest exact unit', () => {
    expect(formatDuration(172_800_000)).toBe('2d');
    expect(formatDuration(90_000)).toBe('90s');
    expect(formatDuration(1_500)).toBe('1500ms');
  });
});
