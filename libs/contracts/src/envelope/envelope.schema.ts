import Ajv, { type ErrorObject } from 'ajv';
import isISO8601 from 'validator/lib/isISO8601';

export const WORKSPACE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** An optional attribute may be absent or null. */
const optionalText = (maxLength: number) => ({ type: ['string', 'null'], maxLength });

/**
 * The envelope's rules as a JSON Schema, compiled once. Every consumed message
 * is checked against it, so it sits on every service's hot path: the compiled
 * check is about ten times cheaper than mapping the message onto a
 * class-validator class, which showed in the profiles under load.
 */
const ENVELOPE_SCHEMA = {
  type: 'object',
  required: [
    'specversion',
    'id',
    'type',
    'source',
    'time',
    'datacontenttype',
    'data',
    'workspaceid',
    'correlationid',
  ],
  properties: {
    specversion: { const: '1.0' },
    id: { type: 'string', minLength: 1, maxLength: 200 },
    type: { type: 'string', pattern: '^[a-zA-Z0-9][a-zA-Z0-9._-]{0,199}$' },
    source: { type: 'string', minLength: 1, maxLength: 500 },
    time: { type: 'string', format: 'iso8601' },
    subject: optionalText(500),
    datacontenttype: { const: 'application/json' },
    data: { not: { type: 'null' } },
    workspaceid: { type: 'string', pattern: WORKSPACE_ID_PATTERN.source },
    correlationid: { type: 'string', minLength: 1, maxLength: 200 },
    causationid: optionalText(200),
    traceparent: {
      type: ['string', 'null'],
      pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$',
    },
    principal: optionalText(300),
    credential: optionalText(300),
  },
};

const READABLE: Record<string, string> = {
  type: 'must be a dotted event type',
  workspaceid: 'must be a workspace slug',
  traceparent: 'must be a W3C traceparent',
  time: 'must be an ISO 8601 timestamp',
};

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('iso8601', (value: string) => isISO8601(value));
const checkEnvelope = ajv.compile(ENVELOPE_SCHEMA);

/** What is wrong with a message's envelope, one `field: problem` per rule broken; empty when valid. */
export function envelopeProblems(value: unknown): string[] {
  if (checkEnvelope(value)) return [];
  return (checkEnvelope.errors ?? []).map(describe);
}

function describe(error: ErrorObject): string {
  const missing = (error.params as { missingProperty?: string }).missingProperty;
  if (missing) return `${missing}: is required`;
  const field = error.instancePath.replace(/^\//, '') || 'envelope';
  if (error.keyword === 'const')
    return `${field}: must be '${String((error.params as { allowedValue: unknown }).allowedValue)}'`;
  if (error.keyword === 'not') return `${field}: must not be null`;
  if ((error.keyword === 'pattern' || error.keyword === 'format') && READABLE[field])
    return `${field}: ${READABLE[field]}`;
  return `${field}: ${error.message ?? 'is invalid'}`;
}
