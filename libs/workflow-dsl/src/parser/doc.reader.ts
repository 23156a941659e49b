import { DslCodes, DurationError } from '../errors/dsl.errors';
import { formatDuration, parseDuration } from '../duration/duration.parser';
import type { JsonObject, JsonValue } from '../model/workflow.types';
import { NAME_PATTERN, NAME_RULE } from '../model/names';
import { childPath, indexPath, isPlainObject } from '../util/doc-path';
import type { ProblemCollector } from '../source/problem.collector';

/** Durations under this, given as bare numbers, are probably seconds written as ms. */
const SUSPICIOUSLY_SHORT_MS = 1_000;

/**
 * Typed reads from the plain JS document. Each read reports what is wrong
 * with the field at its path and returns undefined, so parsing goes on and
 * every problem is found in one pass.
 */
export class DocReader {
  constructor(readonly problems: ProblemCollector) {}

  object(value: unknown, path: string, what: string): Record<string, unknown> | undefined {
    if (isPlainObject(value)) return value;
    this.problems.error(
      DslCodes.invalidType,
      `${what} must be a mapping, not ${describeValue(value)}`,
      path,
    );
    return undefined;
  }

  /** Warns about keys that are not allowed; `hint` may explain a key that belongs elsewhere. */
  knownKeys(
    obj: Record<string, unknown>,
    path: string,
    allowed: readonly string[],
    hint?: (key: string) => string | undefined,
  ): void {
    for (const key of Object.keys(obj)) {
      if (allowed.includes(key)) continue;
      const why = hint?.(key) ?? `expected one of: ${allowed.join(', ')}`;
      this.problems.warning(
        DslCodes.unknownKey,
        `unknown key "${key}" is ignored (${why})`,
        childPath(path, key),
        { key: true },
      );
    }
  }

  required(obj: Record<string, unknown>, key: string, path: string, what: string): boolean {
    if (obj[key] !== undefined && obj[key] !== null) return true;
    this.problems.error(DslCodes.missingField, `${what} needs "${key}"`, childPath(path, key));
    return false;
  }

  string(obj: Record<string, unknown>, key: string, path: string): string | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.trim() !== '') return value;
    const message =
      typeof value === 'string'
        ? `"${key}" must not be empty`
        : `"${key}" must be a string, not ${describeValue(value)}`;
    this.problems.error(DslCodes.invalidType, message, childPath(path, key));
    return undefined;
  }

  name(obj: Record<string, unknown>, key: string, path: string, what: string): string | undefined {
    const value = this.string(obj, key, path);
    if (value === undefined || NAME_PATTERN.test(value)) return value;
    this.problems.error(
      DslCodes.invalidName,
      `${what} "${value}" is not valid: use ${NAME_RULE}`,
      childPath(path, key),
    );
    return value;
  }

  /** Strictly positive unless `allowZero`. Numbers are milliseconds. */
  duration(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    options: { allowZero?: boolean } = {},
  ): number | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    const at = childPath(path, key);
    if (typeof value !== 'string' && typeof value !== 'number') {
      this.problems.error(DslCodes.badDuration, new DurationError(value).message, at);
      return undefined;
    }
    let ms: number;
    try {
      ms = parseDuration(value);
    } catch (error) {
      this.problems.error(DslCodes.badDuration, (error as Error).message, at);
      return undefined;
    }
    if (ms === 0 && !options.allowZero) {
      this.problems.error(DslCodes.badDuration, `"${key}" must be longer than zero`, at);
      return undefined;
    }
    if (typeof value === 'number' && ms > 0 && ms < SUSPICIOUSLY_SHORT_MS && key === 'timeout') {
      this.problems.warning(
        DslCodes.suspiciousDuration,
        `${value} is read as ${formatDuration(ms)}; write "${value}s" if seconds were meant`,
        at,
      );
    }
    return ms;
  }

  boolean(obj: Record<string, unknown>, key: string, path: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || typeof value === 'boolean') return value;
    this.problems.error(
      DslCodes.invalidType,
      `"${key}" must be true or false, not ${describeValue(value)}`,
      childPath(path, key),
    );
    return undefined;
  }

  integer(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    range: { min: number; max: number; code?: string },
  ): number | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (
      typeof value === 'number' &&
      Number.isInteger(value) &&
      value >= range.min &&
      value <= range.max
    ) {
      return value;
    }
    this.problems.error(
      range.code ?? DslCodes.invalidValue,
      `"${key}" must be a whole number from ${range.min} to ${range.max}, not ${describeValue(value)}`,
      childPath(path, key),
    );
    return undefined;
  }

  oneOf<T extends string>(
    obj: Record<string, unknown>,
    key: string,
    path: string,
    options: readonly T[],
    code: string = DslCodes.invalidValue,
  ): T | undefined {
    const value = obj[key];
    if (value === undefined) return undefined;
    if (typeof value === 'string' && (options as readonly string[]).includes(value))
      return value as T;
    this.problems.error(
      code,
      `"${key}" must be one of ${options.join(', ')}, not ${describeValue(value)}`,
      childPath(path, key),
    );
    return undefined;
  }

  /** A JSON value (templates, mappings); rejects what JSON cannot carry. */
  json(value: unknown, path: string): JsonValue | undefined {
    if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
    if (typeof value === 'number') {
      if (Number.isFinite(value)) return value;
      this.problems.error(DslCodes.invalidValue, `${value} is not a JSON number`, path);
      return undefined;
    }
    if (Array.isArray(value)) {
      const items = value.map((item, i) => this.json(item, indexPath(path, i)));
      return items.every((item) => item !== undefined) ? (items as JsonValue[]) : undefined;
    }
    if (isPlainObject(value)) return this.jsonObject(value, path);
    this.problems.error(DslCodes.invalidType, `${describeValue(value)} is not a JSON value`, path);
    return undefined;
  }

  jsonObject(value: Record<string, unknown>, path: string): JsonObject | undefined {
    const result: JsonObject = {};
    let ok = true;
    for (const [key, item] of Object.entries(value)) {
      const converted = this.json(item, childPath(path, key));
      if (converted === undefined) ok = false;
      else result[key] = converted;
    }
    return ok ? result : undefined;
  }
}

export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}
