import { compileLinearRegex, quoteRegex, type LinearRegex } from '@baton/tenant-code';

/** How a `type` filter is matched: exactly, or as a SQL LIKE pattern. */
export type TypeFilter = { kind: 'exact'; value: string } | { kind: 'like'; value: string };

/**
 * `order.*` matches every type starting with `order.`; `*` is the only
 * wildcard and matches any run of characters (dots included). LIKE's own
 * metacharacters (`%`, `_`) and the escape character are matched literally:
 * the pattern is meant for `LIKE … ESCAPE '\'`.
 */
export function toTypeFilter(pattern: string): TypeFilter {
  if (!pattern.includes('*')) return { kind: 'exact', value: pattern };
  const escaped = pattern.replace(/[\\%_]/g, (char) => `\\${char}`).replace(/\*+/g, '%');
  return { kind: 'like', value: escaped };
}

/**
 * The same pattern language in memory: `*` matches any run of characters,
 * dots included. On RE2, because `a*a*a*…b` is exponential on a backtracking
 * engine and the pattern is tenant-written.
 */
export function typePatternRegExp(pattern: string): LinearRegex {
  const body = pattern.split('*').map(quoteRegex).join('.*');
  return compileLinearRegex(`^${body}$`, 's');
}

/** True when `type` matches any of `patterns`; no patterns at all matches every type. */
export function matchesAnyPattern(patterns: readonly LinearRegex[], type: string): boolean {
  return patterns.length === 0 || patterns.some((pattern) => pattern.test(type));
}
