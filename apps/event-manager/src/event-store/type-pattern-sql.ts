import { toTypeFilter } from './event-type-pattern';

/**
 * `(type = $n OR type LIKE $m ESCAPE '\')` for a list of patterns; `param`
 * registers a value and answers its placeholder. A `*` pattern matches all.
 */
export function typePatternsSql(
  patterns: readonly string[],
  param: (value: unknown) => string,
): string {
  if (patterns.length === 0 || patterns.includes('*')) return 'true';
  const alternatives = patterns.map((pattern) => {
    const filter = toTypeFilter(pattern);
    return filter.kind === 'exact'
      ? `type = ${param(filter.value)}`
      : `type LIKE ${param(filter.value)} ESCAPE '\\'`;
  });
  return `(${alternatives.join(' OR ')})`;
}
