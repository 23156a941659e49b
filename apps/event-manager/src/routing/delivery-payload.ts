import {
  createEnvelope,
  Headers,
  MessageTypes,
  REPLAY_ID_HEADER,
  Topics,
  type AgentTaskMessage,
  type DeliveryFormat,
  type Envelope,
  type StartRunCommand,
} from '@baton/contracts';
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A Kafka message exactly as it goes out: value and headers already encoded. */
export interface RawKafkaMessage {
  topic: string;
  key: string;
  value: string;
  headers: Record<string, string>;
}

export interface DeliveryFacts {
  deliveryId: string;
  /** The stored event as a structured CloudEvent (the envelope). */
  cloudEvent: Record<string, unknown>;
  /** The transform's result, or the event itself when there is none. */
  payload: unknown;
  transformed: boolean;
  replayId: string | null;
  /** subject, else event id: the Kafka key that keeps one subject's deliveries in order. */
  lane: string;
}

/** The CloudEvent a delivery shows: replayed deliveries carry the `replayid` extension. */
export function deliveredCloudEvent(
  envelope: Record<string, unknown>,
  replayId: string | null,
): Record<string, unknown> {
  return replayId ? { ...envelope, replayid: replayId } : envelope;
}

/**
 * Same delivery, same task id: an agent that sees a redelivered task can tell.
 * A name-based (v5-shaped) UUID of the delivery id.
 */
export function taskIdFor(workspaceId: string, deliveryId: string): string {
  const hex = createHash('sha1')
    .update(`baton-delivery:${workspaceId}:${deliveryId}`)
    .digest('hex');
  const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function replayHeaders(replayId: string | null): Record<string, string> {
  return replayId ? { [REPLAY_ID_HEADER]: replayId } : {};
}

function eventEnvelope(cloudEvent: Record<string, unknown>): Pick<
  Envelope,
  'id' | 'correlationid'
> & {
  workspaceid: string;
  traceparent?: string;
} {
  return {
    id: String(cloudEvent.id),
    correlationid: String(cloudEvent.correlationid ?? cloudEvent.id),
    workspaceid: String(cloudEvent.workspaceid),
    ...(typeof cloudEvent.traceparent === 'string' ? { traceparent: cloudEvent.traceparent } : {}),
  };
}

function platformMessage(topic: string, key: string, envelope: Envelope, replayId: string | null) {
  return {
    topic,
    key,
    value: JSON.stringify(envelope),
    headers: {
      [Headers.messageType]: envelope.type,
      [Headers.workspace]: envelope.workspaceid,
      ...(envelope.traceparent ? { [Headers.traceparent]: envelope.traceparent } : {}),
      ...replayHeaders(replayId),
    },
  };
}

/** An agent task whose input is the event (or the transform's result), as AgentWorker serves it. */
export function agentTaskMessage(agent: string, facts: DeliveryFacts): RawKafkaMessage {
  const event = eventEnvelope(facts.cloudEvent);
  const taskId = taskIdFor(event.workspaceid, facts.deliveryId);
  const envelope = createEnvelope<AgentTaskMessage>({
    id: taskId,
    type: MessageTypes.agentTask,
    source: 'event-manager',
    subject: facts.lane,
    workspaceId: event.workspaceid,
    causedBy: event,
    traceparent: event.traceparent,
    data: { task_id: taskId, agent, attempt: 1, input: facts.payload },
  });
  return platformMessage(
    Topics.agentTasks(event.workspaceid, agent),
    facts.lane,
    envelope,
    facts.replayId,
  );
}

/**
 * A one-way run start (no reply headers). The idempotency key makes a
 * redelivered event start one run; a replay has keys of its own, so it starts
 * new runs linked to it.
 */
export function workflowStartMessage(
  workflow: string,
  channel: string,
  facts: DeliveryFacts,
): RawKafkaMessage {
  const event = eventEnvelope(facts.cloudEvent);
  const key = facts.replayId
    ? `${channel}:${event.id}:replay:${facts.replayId}`
    : `${channel}:${event.id}`;
  const envelope = createEnvelope<StartRunCommand>({
    type: MessageTypes.runStart,
    source: 'event-manager',
    workspaceId: event.workspaceid,
    causedBy: event,
    traceparent: event.traceparent,
    data: {
      workflow,
      input: facts.payload as Record<string, unknown>,
      idempotency_key: key.slice(0, 200),
    },
  });
  return platformMessage(Topics.workflowCommands, facts.lane, envelope, facts.replayId);
}

const CORE_ATTRIBUTE_ORDER = ['specversion', 'id', 'source', 'type', 'time', 'subject'];

/**
 * A topic delivery in the chosen format. The payload is the event's data, or
 * the transform's result, which then stands in for the data:
 * - structured: the value is the CloudEvent as JSON;
 * - binary: the value is the payload, the attributes are `ce_*` headers;
 * - json: the value is the payload alone.
 */
export function topicMessage(
  topic: string,
  format: DeliveryFormat,
  facts: DeliveryFacts,
): RawKafkaMessage {
  const { data: _data, data_base64: _base64, ...attributes } = facts.cloudEvent;
  const payload = facts.transformed ? facts.payload : facts.cloudEvent.data;
  const value = JSON.stringify(payload ?? null);
  const replay = replayHeaders(facts.replayId);
  const eventId = String(facts.cloudEvent.id);
  if (format === 'structured') {
    const event: Record<string, unknown> = { ...attributes, data: payload ?? null };
    if (facts.transformed) event.datacontenttype = 'application/json';
    return {
      topic,
      key: facts.lane,
      value: JSON.stringify(event),
      headers: { 'content-type': 'application/cloudevents+json', ...replay },
    };
  }
  if (format === 'binary') {
    const headers: Record<string, string> = {};
    const names = [
      ...CORE_ATTRIBUTE_ORDER.filter((name) => name in attributes),
      ...Object.keys(attributes).filter((name) => !CORE_ATTRIBUTE_ORDER.includes(name)),
    ];
    for (const name of names) {
      const attribute = attributes[name];
      if (attribute === undefined || attribute === null || name === 'datacontenttype') continue;
      headers[`ce_${name}`] = typeof attribute === 'string' ? attribute : JSON.stringify(attribute);
    }
    const contentType =
      !facts.transformed && typeof attributes.datacontenttype === 'string'
        ? attributes.datacontenttype
        : 'application/json';
    return {
      topic,
      key: facts.lane,
      value,
      headers: { ...headers, 'content-type': contentType, ...replay },
    };
  }
  return {
    topic,
    key: facts.lane,
    value,
    headers: { 'content-type': 'application/json', 'baton-event-id': eventId, ...replay },
  };
}

/**
 * A replayed event as a structured CloudEvent, from the stored envelope's
 * JSON text: the `replayid` attribute is appended (a later duplicate key wins
 * in JSON), so the bulk of a replay is never parsed and re-serialised.
 */
export function structuredReplay(
  topic: string,
  envelopeJson: string,
  lane: string,
  replayId: string,
): RawKafkaMessage {
  const value = `${envelopeJson.trimEnd().slice(0, -1)},"replayid":${JSON.stringify(replayId)}}`;
  return {
    topic,
    key: lane,
    value,
    headers: { 'content-type': 'application/cloudevents+json', [REPLAY_ID_HEADER]: replayId },
  };
}

export const SIGNATURE_HEADER = 'baton-signature';

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`: the timestamp is signed too. */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  const digest = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${digest}`;
}

/**
 * What a receiver does with the header: recompute the HMAC and refuse a
 * timestamp older than `toleranceSeconds`, so a captured request cannot be
 * replayed later.
 */
export function verifyWebhookSignature(
  secret: string,
  header: string,
  body: string,
  nowSeconds: number,
  toleranceSeconds = 300,
): boolean {
  const parts = Object.fromEntries(
    header.split(',').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const timestamp = Number(parts.t);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds)
    return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body).split('v1=')[1], 'hex');
  const given = Buffer.from(String(parts.v1 ?? ''), 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface WebhookRequest {
  body: string;
  headers: Record<string, string>;
}

/** The POST a webhook receives: the CloudEvent (or the transform's result), signed. */
export function webhookRequest(
  facts: DeliveryFacts,
  secret: string | null,
  nowSeconds: number,
): WebhookRequest {
  const body = JSON.stringify(facts.payload ?? null);
  const headers: Record<string, string> = {
    'content-type': facts.transformed ? 'application/json' : 'application/cloudevents+json',
    'baton-event-id': String(facts.cloudEvent.id),
    'baton-delivery-id': facts.deliveryId,
    ...replayHeaders(facts.replayId),
  };
  if (secret) headers[SIGNATURE_HEADER] = signWebhook(secret, nowSeconds, body);
  return { body, headers };
}
