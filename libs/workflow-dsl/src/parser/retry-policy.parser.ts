import { DslCodes } from '../errors/dsl.errors';
import { formatDuration } from '../duration/duration.parser';
import type { RetryPolicy } from '../model/workflow.types';
import { BACKOFF_STRATEGIES, MAX_ATTEMPTS_LIMIT, mergeRetryPolicy } from '../retry/retry-policy';
import { childPath, indexPath } from '../util/doc-path';
import { describeValue, type DocReader } from './doc.reader';

const RETRY_KEYS = ['max_attempts', 'backoff', 'initial_delay', 'max_delay', 'jitter', 'retry_on'];
const ERROR_TYPE_PATTERN = /^[a-z][a-z0-9_]*$/;

type MutablePolicy = { -readonly [K in keyof RetryPolicy]?: RetryPolicy[K] };

/**
 * Reads `retry_policy` (workflow) or `retry` (step) and merges it over `base`,
 * field by field. Bad fields are reported and left at the base value.
 */
export function readRetryPolicy(
  value: unknown,
  path: string,
  base: RetryPolicy,
  reader: DocReader,
): RetryPolicy {
  if (value === undefined) return base;
  const obj = reader.object(value, path, 'a retry policy');
  if (!obj) return base;
  reader.knownKeys(obj, path, RETRY_KEYS);
  const code = DslCodes.badRetryPolicy;
  const given: MutablePolicy = {
    maxAttempts: reader.integer(obj, 'max_attempts', path, {
      min: 1,
      max: MAX_ATTEMPTS_LIMIT,
      code,
    }),
    backoff: reader.oneOf(obj, 'backoff', path, BACKOFF_STRATEGIES, code),
    initialDelayMs: reader.duration(obj, 'initial_delay', path, { allowZero: true }),
    maxDelayMs: reader.duration(obj, 'max_delay', path, { allowZero: true }),
    jitter: reader.boolean(obj, 'jitter', path),
    retryOn: readRetryOn(obj.retry_on, childPath(path, 'retry_on'), reader),
  };
  const policy = mergeRetryPolicy(base, given);
  // Only the level that sets a delay is blamed, so a bad workflow policy is reported once.
  const setsDelay = given.initialDelayMs !== undefined || given.maxDelayMs !== undefined;
  if (setsDelay && policy.maxDelayMs < policy.initialDelayMs) {
    const at = given.maxDelayMs !== undefined ? 'max_delay' : 'initial_delay';
    reader.problems.error(
      code,
      `max_delay (${formatDuration(policy.maxDelayMs)}) is shorter than initial_delay ` +
        `(${formatDuration(policy.initialDelayMs)})`,
      childPath(path, at),
    );
  }
  return policy;
}

function readRetryOn(value: unknown, path: string, reader: DocReader): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) {
    reader.problems.error(
      DslCodes.badRetryPolicy,
      `"retry_on" must be a list of error types, not ${describeValue(value)}`,
      path,
    );
    return undefined;
  }
  const types: string[] = [];
  value.forEach((item, i) => {
    if (typeof item === 'string' && ERROR_TYPE_PATTERN.test(item)) types.push(item);
    else {
      reader.problems.error(
        DslCodes.badRetryPolicy,
        `${describeValue(item)} is not an error type (snake_case, e.g. system_error)`,
        indexPath(path, i),
      );
    }
  });
  return types;
}
