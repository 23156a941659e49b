import {
  Headers,
  ingressTopicWorkspace,
  WORKSPACE_ID_PATTERN,
  type Envelope,
} from '@baton/contracts';
import { PermanentError } from './consumer-spec';
import { envelopeLimitBreach } from './envelope-limits';

/*
 * The one reading of what outside producers write to baton.events.ingress,
 * for every consumer of that topic (the event store, workflow triggers,
 * wait_for_event), so that they all agree on which events exist. Its full
 * spec is apps/event-manager/src/events/event.decoder.spec.ts.
 */

type HeaderValue = Buffer | string | (Buffer | string)[] | undefined;

/** What decoding needs of a Kafka message; kafkajs' KafkaMessage fits. */
export interface RawEventMessage {
  value: Buffer | null;
  headers?: Record<string, HeaderValue>;
  timestamp: string;
}

const MAX_LENGTH: Record<string, number> = {
  id: 200,
  type: 200,
  source: 500,
  subject: 500,
  correlationid: 200,
  causationid: 200,
};

/**
 * Decodes what outside producers write to the ingress topic: a CloudEvent in
 * structured mode (the value is the event as JSON) or binary mode (the value is
 * the data, attributes are `ce_*` headers). Baton's own attributes are filled
 * in when absent; whatever the producer sent, extensions included, is kept.
 * Anything that cannot be stored is a PermanentError naming the reason.
 *
 * On a workspace's own ingress topic (baton.events.ingress.<workspace>), which
 * only that workspace's principal may write when the broker enforces ACLs, the
 * topic names the workspace: an event claiming another one is refused.
 */
export function decodeIngressEvent(message: RawEventMessage, topic?: string): Envelope {
  const binary = readHeader(message.headers, 'ce_specversion') !== undefined;
  const attributes = binary ? binaryAttributes(message) : structuredAttributes(message);
  return normalise(
    attributes,
    message,
    topic === undefined ? undefined : ingressTopicWorkspace(topic),
  );
}

function structuredAttributes(message: RawEventMessage): Record<string, unknown> {
  const parsed = parseValue(message.value);
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PermanentError(
      'value is not a CloudEvent: expected a JSON object (structured mode) or ce_* headers (binary mode)',
    );
  }
  return parsed as Record<string, unknown>;
}

function binaryAttributes(message: RawEventMessage): Record<string, unknown> {
  const attributes: Record<string, unknown> = {};
  for (const name of Object.keys(message.headers ?? {})) {
    const lower = name.toLowerCase();
    if (!lower.startsWith('ce_')) continue;
    const attribute = lower.slice(3);
    if (attribute === 'data' || attribute === 'data_base64') continue;
    const text = readHeader(message.headers, name);
    if (text === undefined) continue;
    if (text.includes('\u0000'))
      throw new PermanentError(`header ${name} contains a NUL character`);
    attributes[attribute] = text;
  }
  const contentType = readHeader(message.headers, 'content-type');
  if (attributes.datacontenttype === undefined && contentType)
    attributes.datacontenttype = contentType;
  if (message.value && message.value.length > 0) attributes.data = parseValue(message.value);
  return attributes;
}

function normalise(
  attributes: Record<string, unknown>,
  message: RawEventMessage,
  topicWorkspace: string | undefined,
): Envelope {
  const specversion = attributes.specversion;
  if (specversion !== '1.0') {
    throw new PermanentError(
      specversion === undefined || specversion === null
        ? 'missing specversion (expected "1.0")'
        : `unsupported specversion ${JSON.stringify(specversion)} (expected "1.0")`,
    );
  }
  const id = required(attributes, 'id');
  const source = required(attributes, 'source');
  const type = required(attributes, 'type');
  const subject = optional(attributes, 'subject');
  const causationid = optional(attributes, 'causationid');
  const claimed =
    optional(attributes, 'workspaceid') ??
    (readHeader(message.headers, Headers.workspace) || undefined);
  if (topicWorkspace !== undefined && claimed !== undefined && claimed !== topicWorkspace) {
    throw new PermanentError(
      `workspaceid '${claimed.slice(0, 100)}' does not match the ingress topic's workspace '${topicWorkspace}'`,
    );
  }
  const workspaceid = topicWorkspace ?? claimed;
  if (workspaceid === undefined) {
    throw new PermanentError(
      `missing workspaceid: set the workspaceid attribute or the ${Headers.workspace} header`,
    );
  }
  if (!WORKSPACE_ID_PATTERN.test(workspaceid)) {
    throw new PermanentError(
      `invalid workspaceid '${workspaceid.slice(0, 100)}': not a workspace slug`,
    );
  }
  const time = optional(attributes, 'time') ?? kafkaTime(message.timestamp);
  if (!isRfc3339(time))
    throw new PermanentError(`time '${time.slice(0, 100)}' is not an RFC 3339 timestamp`);
  return {
    ...extensionsOf(attributes),
    specversion: '1.0',
    id,
    type,
    source,
    time,
    ...(subject !== undefined ? { subject } : {}),
    // Ingress takes any content type; the Envelope type names only the one Baton produces.
    datacontenttype: (optional(attributes, 'datacontenttype') ??
      'application/json') as Envelope['datacontenttype'],
    data: attributes.data,
    workspaceid,
    correlationid: optional(attributes, 'correlationid') ?? id,
    ...(causationid !== undefined ? { causationid } : {}),
  };
}

const CORE_ATTRIBUTES = new Set([
  'specversion',
  'id',
  'type',
  'source',
  'time',
  'subject',
  'datacontenttype',
  'data',
  'workspaceid',
  'correlationid',
  'causationid',
]);

/** Everything else the producer sent (dataschema, data_base64, its own extensions), kept as is. */
function extensionsOf(attributes: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(attributes).filter(([name]) => !CORE_ATTRIBUTES.has(name)),
  );
}

function parseValue(value: Buffer | null): unknown {
  if (!value || value.length === 0) throw new PermanentError('message has no value');
  const text = value.toString('utf8');
  // Any producer writes here: size and depth first, before anything recursive reads it.
  const breach = envelopeLimitBreach(text, value.length);
  if (breach) throw new PermanentError(breach);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new PermanentError('value is not JSON');
  }
  assertStorableText(text);
  return parsed;
}

function required(attributes: Record<string, unknown>, name: string): string {
  const value = optional(attributes, name);
  if (value === undefined) throw new PermanentError(`missing ${name}`);
  return value;
}

/** CloudEvents treats a null attribute as absent; Baton treats an empty one the same way. */
function optional(attributes: Record<string, unknown>, name: string): string | undefined {
  const value = attributes[name];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new PermanentError(`${name} must be a string`);
  const max = MAX_LENGTH[name];
  if (max !== undefined && value.length > max) {
    throw new PermanentError(`${name} is longer than ${max} characters`);
  }
  return value;
}

function readHeader(headers: RawEventMessage['headers'], name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  return Buffer.isBuffer(first) ? first.toString('utf8') : String(first);
}

/** Kafka's timestamp is epoch milliseconds as a string; -1 when the producer set none. */
function kafkaTime(timestamp: string): string {
  const ms = Number(timestamp);
  return new Date(Number.isFinite(ms) && ms >= 0 ? ms : Date.now()).toISOString();
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d{1,9})?(?:Z|[+-](?:0\d|1[0-5]):[0-5]\d)$/i;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** RFC 3339 with a real calendar date: what Postgres' timestamptz accepts without surprises. */
export function isRfc3339(value: string): boolean {
  const match = RFC3339.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1]);
}

const ESCAPE = /\\(?:u([0-9a-fA-F]{4})|[\s\S])/g;

/**
 * True when JSON text holds an escape Postgres refuses in jsonb: `\u0000`, or
 * a surrogate escape that is not part of a pair (`\ud83d\ude00` is fine).
 * Caught here so such an event is dead-lettered at once instead of failing
 * its whole batch.
 */
export function hasUnstorableEscape(json: string): boolean {
  if (!json.includes('\\u')) return false;
  let highSurrogateEnd = -1;
  for (const match of json.matchAll(ESCAPE)) {
    const code = match[1] === undefined ? -1 : parseInt(match[1], 16);
    if (highSurrogateEnd >= 0) {
      if (match.index !== highSurrogateEnd || code < 0xdc00 || code > 0xdfff) return true;
      highSurrogateEnd = -1;
      continue;
    }
    if (code === 0 || (code >= 0xdc00 && code <= 0xdfff)) return true;
    if (code >= 0xd800 && code <= 0xdbff) highSurrogateEnd = match.index + match[0].length;
  }
  return highSurrogateEnd >= 0;
}

export function assertStorableText(json: string): void {
  if (hasUnstorableEscape(json)) {
    throw new PermanentError(
      'event contains \\u0000 or an unpaired surrogate, which cannot be stored',
    );
  }
}
