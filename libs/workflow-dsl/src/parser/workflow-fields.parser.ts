import { CronExpressionParser } from 'cron-parser';
import { DslCodes } from '../errors/dsl.errors';
import {
  KNOWN_ERROR_TYPES,
  type HandlerTarget,
  type JsonObject,
  type Trigger,
} from '../model/workflow.types';
import { childPath } from '../util/doc-path';
import { describeValue, type DocReader } from './doc.reader';
import { HANDLER_TARGET_RULE, parseHandlerTarget } from '../model/handler-target';
import { checkJsonSchema } from './json-schema.checker';

const EVENT_TYPE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$/;
const DEFAULT_HANDLER_KEY = 'default';

/** `http` (the default) | `<event type>` | `{ schedule: <cron>, timezone? }` | `{ event: <type> }`. */
export function readTrigger(value: unknown, path: string, reader: DocReader): Trigger {
  if (value === undefined || value === null || value === 'http') return { kind: 'http' };
  if (typeof value === 'string')
    return { kind: 'event', eventType: eventType(value, path, reader) };
  const obj = reader.object(value, path, 'trigger');
  if (!obj) return { kind: 'http' };
  reader.knownKeys(obj, path, ['schedule', 'event', 'timezone']);
  const hasSchedule = obj.schedule !== undefined;
  const hasEvent = obj.event !== undefined;
  if (hasSchedule === hasEvent) {
    reader.problems.error(
      DslCodes.invalidValue,
      'trigger must have exactly one of "schedule" (a cron expression) or "event" (an event type)',
      path,
    );
    return { kind: 'http' };
  }
  if (hasEvent) {
    const type = reader.string(obj, 'event', path);
    return {
      kind: 'event',
      eventType: type ? eventType(type, childPath(path, 'event'), reader) : '',
    };
  }
  const cron = reader.string(obj, 'schedule', path);
  const timezone = reader.string(obj, 'timezone', path);
  if (cron !== undefined) checkCron(cron, timezone, path, reader);
  return { kind: 'schedule', cron: cron ?? '', ...(timezone ? { timezone } : {}) };
}

function eventType(value: string, path: string, reader: DocReader): string {
  if (!EVENT_TYPE_PATTERN.test(value)) {
    reader.problems.error(
      DslCodes.invalidValue,
      `"${value}" is not an event type (letters, digits and . _ : / -)`,
      path,
    );
  }
  return value;
}

function checkCron(
  cron: string,
  timezone: string | undefined,
  path: string,
  reader: DocReader,
): void {
  try {
    // next() is what rejects an unknown timezone, so ask for one occurrence.
    CronExpressionParser.parse(cron, timezone ? { tz: timezone } : {}).next();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const at = timezone && isCronValid(cron) ? 'timezone' : 'schedule';
    reader.problems.error(
      DslCodes.badCron,
      at === 'timezone'
        ? `"${timezone}" is not a known timezone`
        : `"${cron}" is not a valid cron expression: ${reason}`,
      childPath(path, at),
    );
  }
}

function isCronValid(cron: string): boolean {
  try {
    CronExpressionParser.parse(cron).next();
    return true;
  } catch {
    return false;
  }
}

/** `{ timeout: notify-admin, system_error: escalate, default: some-step }`. */
export function readErrorHandlers(
  value: unknown,
  path: string,
  reader: DocReader,
): Record<string, HandlerTarget> {
  const handlers: Record<string, HandlerTarget> = {};
  if (value === undefined) return handlers;
  const obj = reader.object(value, path, 'error_handlers');
  if (!obj) return handlers;
  const known: readonly string[] = [...KNOWN_ERROR_TYPES, DEFAULT_HANDLER_KEY];
  for (const [type, raw] of Object.entries(obj)) {
    const at = childPath(path, type);
    if (!known.includes(type)) {
      reader.problems.warning(
        DslCodes.unknownErrorType,
        `"${type}" is not a built-in error type (${known.join(', ')}); ` +
          'it only matches errors reported with exactly this type',
        at,
        { key: true },
      );
    }
    const target = readHandlerTarget(raw, at, reader);
    if (target) handlers[type] = target;
  }
  return handlers;
}

export function readHandlerTarget(
  value: unknown,
  path: string,
  reader: DocReader,
): HandlerTarget | undefined {
  const target = typeof value === 'string' ? parseHandlerTarget(value) : undefined;
  if (!target) {
    reader.problems.error(
      DslCodes.unknownHandler,
      `${describeValue(value)} is not an error handler: use ${HANDLER_TARGET_RULE}`,
      path,
    );
  }
  return target;
}

/** `input_schema` / `output_schema`: must compile with Ajv, as the engine will compile it. */
export function readJsonSchema(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  reader: DocReader,
): JsonObject | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  const at = childPath(path, key);
  const schemaObj = reader.object(value, at, `"${key}"`);
  const schema = schemaObj && reader.jsonObject(schemaObj, at);
  if (!schema) return undefined;
  const verdict = checkJsonSchema(schema);
  if (!verdict.ok) {
    reader.problems.error(
      DslCodes.badSchema,
      `"${key}" is not a valid JSON Schema: ${verdict.error}`,
      at,
    );
    return undefined;
  }
  if ('warning' in verdict) {
    reader.problems.warning(DslCodes.badSchema, `"${key}": ${verdict.warning}`, at);
  }
  return schema;
}
