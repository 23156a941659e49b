import * as contracts from '@baton/contracts';
import { createEnvelope, Headers, PLATFORM_TOPICS } from '@baton/contracts';
import fc from 'fast-check';
import type { Schema } from './openapi-operations';
import { hostileJson, hostileString, objectFrom, PROTOTYPE_KEYS } from './hostile-values';
import { nearValidValue, validValue } from './schema-bodies';

/** One Kafka message as a producer with broker access could write it. */
export interface KafkaCase {
  topic: string;
  key: string | null;
  value: Buffer | string | null;
  headers: Record<string, string>;
}

/**
 * Every platform topic but the dead-letter ones: a tenant's worker can reach
 * ingress and the result topics, and nothing should trust that the command
 * topics are any better guarded.
 */
export const FUZZED_TOPICS = PLATFORM_TOPICS.map((t) => t.topic).filter(
  (t) => !t.startsWith('baton.dlq.'),
);

/** Every envelope `type` the contracts name: the `*Types` constants of @baton/contracts. */
export function knownMessageTypes(): string[] {
  const types = new Set<string>();
  for (const [name, value] of Object.entries(contracts)) {
    if (!name.endsWith('Types') || typeof value !== 'object' || value === null) continue;
    for (const type of Object.values(value)) if (typeof type === 'string') types.add(type);
  }
  return [...types];
}

/** A Baton envelope, of the fuzz workspace (so what a valid one does stays there). */
const envelopeSchema = (workspace: string): Schema => ({
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
    specversion: { type: 'string', enum: ['1.0'] },
    id: { type: 'string', format: 'uuid' },
    type: { type: 'string', maxLength: 200 },
    source: { type: 'string', maxLength: 500 },
    time: { type: 'string', format: 'date-time' },
    subject: { type: 'string', maxLength: 500 },
    datacontenttype: { type: 'string', enum: ['application/json'] },
    data: {},
    workspaceid: { type: 'string', enum: [workspace] },
    correlationid: { type: 'string', format: 'uuid' },
    causationid: { type: 'string', format: 'uuid' },
    traceparent: { type: 'string', maxLength: 55 },
  },
});

/**
 * The data of a well-formed envelope: near-valid for one of the message
 * schemas /openapi.json carries (task results, heartbeats, commands), or anything.
 */
function hostileData(messageSchemas: Schema[]): fc.Arbitrary<unknown> {
  if (messageSchemas.length === 0) return hostileJson;
  const schema = fc.constantFrom(...messageSchemas);
  return fc.oneof(
    schema.chain((s) => nearValidValue(s)),
    schema.chain((s) => validValue(s)),
    hostileJson,
  );
}

function wellFormedEnvelope(
  types: string[],
  messageSchemas: Schema[],
  workspace: string,
): fc.Arbitrary<unknown> {
  return fc
    .record({
      type: fc.oneof(
        { arbitrary: fc.constantFrom(...types), weight: 4 },
        { arbitrary: hostileString, weight: 1 },
      ),
      data: hostileData(messageSchemas),
      workspace: fc.oneof(
        { arbitrary: fc.constant(workspace), weight: 4 },
        { arbitrary: hostileString, weight: 1 },
      ),
      subject: fc.option(hostileString, { freq: 2 }),
      extra: fc.option(fc.tuple(fc.constantFrom(...PROTOTYPE_KEYS, 'x-extra'), hostileJson), {
        freq: 4,
      }),
    })
    .map((r) => {
      const envelope = createEnvelope({
        type: r.type,
        source: 'fuzz',
        data: r.data,
        workspaceId: r.workspace,
        ...(r.subject !== null ? { subject: r.subject } : {}),
      }) as unknown as Record<string, unknown>;
      const entries = Object.entries(envelope);
      if (r.extra) entries.push(r.extra);
      return objectFrom(entries);
    });
}

const value = (
  types: string[],
  messageSchemas: Schema[],
  workspace: string,
): fc.Arbitrary<Buffer | string | null> =>
  fc.oneof(
    { arbitrary: fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b)), weight: 2 },
    { arbitrary: hostileString, weight: 2 },
    { arbitrary: fc.constant(null), weight: 1 },
    { arbitrary: hostileJson.map((v) => JSON.stringify(v) ?? 'null'), weight: 2 },
    {
      arbitrary: nearValidValue(envelopeSchema(workspace)).map((v) => JSON.stringify(v)),
      weight: 4,
    },
    {
      arbitrary: wellFormedEnvelope(types, messageSchemas, workspace).map((v) => JSON.stringify(v)),
      weight: 8,
    },
  );

/**
 * Reply topics: existing ones, ones that do not exist and names that are not
 * topics. A command server answers only on the gateway's reply topic (an
 * unknown one once stalled the consumer that answered it).
 */
const replyTopic: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...FUZZED_TOPICS, 'fuzz.no-such-topic', '', '..', 'a'.repeat(300)),
  hostileString,
);

/** Headers the services read, with values they do not expect. */
const headers = (workspace: string): fc.Arbitrary<Record<string, string>> =>
  fc.record(
    {
      [Headers.replyTo]: replyTopic,
      [Headers.requestId]: fc.oneof(fc.uuid(), hostileString),
      [Headers.messageType]: hostileString,
      [Headers.workspace]: fc.constantFrom(workspace, 'other', ''),
      [Headers.traceparent]: fc.oneof(
        fc.constant('00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01'),
        hostileString,
      ),
    },
    { requiredKeys: [] },
  );

/** A message for any fuzzed topic: random bytes, non-JSON, JSON that is no envelope, broken and hostile envelopes. */
export function kafkaCase(messageSchemas: Schema[], workspace: string): fc.Arbitrary<KafkaCase> {
  const types = knownMessageTypes();
  return fc.record({
    topic: fc.constantFrom(...FUZZED_TOPICS),
    key: fc.option(fc.oneof(fc.uuid(), hostileString), { freq: 4 }),
    value: value(types, messageSchemas, workspace),
    headers: headers(workspace),
  });
}
