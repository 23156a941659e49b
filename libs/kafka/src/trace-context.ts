import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  SpanKind,
  SpanStatusCode,
  type Attributes,
  type Context,
  type Link,
  type Span,
} from '@opentelemetry/api';
import type { Envelope } from '@baton/contracts';
import type { IHeaders } from 'kafkajs';

/*
 * Spans of a message's hops, named and attributed as the OpenTelemetry
 * semantic conventions for messaging say (`process <topic>`, `send <topic>`,
 * messaging.system=kafka ...), plus baton.workspace. Never a payload: ids only.
 *
 * Without an exporter (no OTEL_EXPORTER_OTLP_ENDPOINT) no tracer provider is
 * registered and the API's tracer is a no-op: a "span" is then the caller's
 * context passed through, so the traceparent a message carries is the one it
 * came with, and none of this costs more than a few object allocations.
 */
const tracer = trace.getTracer('baton-kafka');

/** Writes the active W3C trace context into Kafka headers (and returns the traceparent). */
export function injectTraceHeaders(headers: Record<string, string>): string | undefined {
  propagation.inject(context.active(), headers);
  return headers.traceparent;
}

export function headerString(headers: IHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.length ? String(value[0]) : undefined;
  return Buffer.isBuffer(value) ? value.toString('utf8') : String(value);
}

/** The active span's W3C traceparent, to stamp on an envelope written now and sent later. */
export function currentTraceparent(): string | undefined {
  return traceparentOf(context.active());
}

function traceparentOf(ctx: Context): string | undefined {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier.traceparent;
}

/** The trace id of a W3C traceparent (`00-<trace id>-<span id>-<flags>`), or null. */
export function traceIdOf(traceparent: string | null | undefined): string | null {
  const id = traceparent?.split('-')[1];
  return id && /^[0-9a-f]{32}$/.test(id) && !/^0+$/.test(id) ? id : null;
}

/** Context of the producer's span, so the consumer's work joins the same trace. */
export function extractTraceContext(headers: IHeaders | undefined): Context {
  const carrier: Record<string, string> = {};
  const traceparent = headerString(headers, 'traceparent');
  const tracestate = headerString(headers, 'tracestate');
  if (traceparent) carrier.traceparent = traceparent;
  if (tracestate) carrier.tracestate = tracestate;
  return propagation.extract(ROOT_CONTEXT, carrier);
}

/** The context a traceparent names (the root context without one: a new trace). */
function contextOf(traceparent: string | undefined): Context {
  return traceparent ? propagation.extract(ROOT_CONTEXT, { traceparent }) : ROOT_CONTEXT;
}

/** Semantic-convention attributes of one message on a topic. */
export function messagingAttributes(
  topic: string,
  operation: 'send' | 'process',
  envelope?: Pick<Envelope, 'id' | 'workspaceid'>,
  key?: string | null,
): Attributes {
  return {
    'messaging.system': 'kafka',
    'messaging.destination.name': topic,
    'messaging.operation.type': operation,
    'messaging.operation.name': operation,
    ...(envelope?.id ? { 'messaging.message.id': envelope.id } : {}),
    ...(key ? { 'messaging.kafka.message.key': key } : {}),
    ...(envelope?.workspaceid ? { 'baton.workspace': envelope.workspaceid } : {}),
  };
}

/** Ends `span` when `work` settles, marking it failed when `work` throws. */
async function endWith<T>(span: Span, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    span.recordException(error as Error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
    throw error;
  } finally {
    span.end();
  }
}

/** Runs `work` inside a consumer span that is a child of the message's producer span. */
export async function withConsumerSpan<T>(
  topic: string,
  headers: IHeaders | undefined,
  work: (span: Span) => Promise<T>,
  envelope?: Pick<Envelope, 'id' | 'workspaceid'>,
): Promise<T> {
  const parent = extractTraceContext(headers);
  return tracer.startActiveSpan(
    `process ${topic}`,
    { kind: SpanKind.CONSUMER, attributes: messagingAttributes(topic, 'process', envelope) },
    parent,
    (span) => endWith(span, () => work(span)),
  );
}

/** A message handled as one item of a batch: its own trace, and where it came from. */
export interface TracedMessage {
  traceparent?: string;
  topic?: string;
  envelope?: Pick<Envelope, 'id' | 'workspaceid'>;
}

/**
 * Runs `work` in a span of its own in the trace of a message handled as part
 * of a batch, so that what it publishes continues that message's trace (a
 * batch has no single parent): one run's decision stays in the run's trace
 * however many runs share the batch's transaction.
 */
export function withMessageSpan<T>(
  name: string,
  message: TracedMessage,
  attributes: Attributes,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const messaging = message.topic
    ? messagingAttributes(message.topic, 'process', message.envelope)
    : message.envelope?.workspaceid
      ? { 'baton.workspace': message.envelope.workspaceid }
      : {};
  return tracer.startActiveSpan(
    name,
    {
      kind: message.topic ? SpanKind.CONSUMER : SpanKind.INTERNAL,
      attributes: { ...messaging, ...attributes },
    },
    contextOf(message.traceparent),
    (span) => endWith(span, () => work(span)),
  );
}

/** A span started now, for work that runs inside it later (and may be skipped). */
export interface OpenSpan {
  /** The traceparent of the span: to store with what the work creates. */
  readonly traceparent: string | undefined;
  setAttributes(attributes: Attributes): void;
  /** Runs `work` with the span active. */
  within<T>(work: () => Promise<T>): Promise<T>;
  end(error?: unknown): void;
}

/**
 * Like withMessageSpan, for a batch whose items need their trace context
 * before their work runs (a run's row stores its trace when it is inserted,
 * and all the batch's runs are inserted at once).
 */
export function startMessageSpan(
  name: string,
  message: TracedMessage,
  attributes: Attributes,
): OpenSpan {
  const messaging = message.topic
    ? messagingAttributes(message.topic, 'process', message.envelope)
    : message.envelope?.workspaceid
      ? { 'baton.workspace': message.envelope.workspaceid }
      : {};
  const parent = contextOf(message.traceparent);
  const span = tracer.startSpan(
    name,
    {
      kind: message.topic ? SpanKind.CONSUMER : SpanKind.INTERNAL,
      attributes: { ...messaging, ...attributes },
    },
    parent,
  );
  const active = trace.setSpan(parent, span);
  return {
    traceparent: traceparentOf(active),
    setAttributes: (more) => void span.setAttributes(more),
    within: (work) => context.with(active, work),
    end: (error) => {
      if (error !== undefined) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
      }
      span.end();
    },
  };
}

/**
 * Runs a batch handler inside one span of its own trace, linked to the trace
 * of every message in it: the batch's shared work (one transaction, one
 * flush) shows once, and each run's trace keeps only its own items' spans.
 */
export function withBatchSpan<T>(
  topic: string,
  messages: readonly { headers?: IHeaders }[],
  work: () => Promise<T>,
): Promise<T> {
  if (!isRecording()) return work();
  const links: Link[] = [];
  for (const message of messages) {
    const linked = trace.getSpanContext(extractTraceContext(message.headers));
    if (linked) links.push({ context: linked });
  }
  return tracer.startActiveSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      root: true,
      links,
      attributes: {
        ...messagingAttributes(topic, 'process'),
        'messaging.batch.message_count': messages.length,
      },
    },
    (span) => endWith(span, work),
  );
}

/**
 * A producer span for a message written now (to the outbox) and sent later,
 * ended at once; returns the traceparent the message carries, so the
 * consumer's span is its child. Without a recording tracer it is the active
 * context's traceparent, as before.
 */
export function producerTraceparent(
  topic: string,
  envelope: Pick<Envelope, 'id' | 'workspaceid'>,
  key?: string,
): string | undefined {
  const active = context.active();
  if (!isRecording()) return traceparentOf(active);
  const span = tracer.startSpan(
    `send ${topic}`,
    { kind: SpanKind.PRODUCER, attributes: messagingAttributes(topic, 'send', envelope, key) },
    active,
  );
  span.end();
  return traceparentOf(trace.setSpan(active, span));
}

/**
 * Whether spans are recorded at all: false while no tracer provider is
 * registered (no exporter), which lets hot paths skip building what only a
 * recorded span would read. A no-op tracer's span is never recording.
 */
let recording: boolean | undefined;
export function isRecording(): boolean {
  if (recording === undefined) {
    // Never ended, so never exported: a span reaches the exporter only when it ends.
    recording = tracer.startSpan('probe', { root: true }).isRecording();
  }
  return recording;
}

/**
 * Runs `work` in the trace of a message handled as part of a batch, so what it
 * publishes carries that message's trace, without a span of its own (nothing
 * between the message and what it causes is exported). Prefer
 * withMessageSpan, which records the work; kept for callers not moved yet.
 */
export function withTraceparent<T>(
  traceparent: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!traceparent) return work();
  return context.with(propagation.extract(ROOT_CONTEXT, { traceparent }), work);
}
