import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  SpanKind,
  type Context,
  type Span,
} from '@opentelemetry/api';
import type { IHeaders } from 'kafkajs';

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
  const carrier: Record<string, string> = {};
  propagation.inject(context.active(), carrier);
  return carrier.traceparent;
}

/** Context of the producer's span, so the consumer's work joins the same trace. */
export function extractTraceContext(headers: IHeaders | undefined): Context {
  const carrier: Record<string, string> = {};
  const traceparent = headerString(headers, 'traceparent');
  const tracestate = headerString(headers, 'tracestate');
  if (traceparent) carrier.traceparent = traceparent;
  if (tracestate) carrier.tracestate = tracestate;
  return propagation.extract(context.active(), carrier);
}

/** Runs `work` inside a consumer span that is a child of the message's producer span. */
export async function withConsumerSpan<T>(
  topic: string,
  headers: IHeaders | undefined,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const parent = extractTraceContext(headers);
  return tracer.startActiveSpan(
    `process ${topic}`,
    {
      kind: SpanKind.CONSUMER,
      attributes: { 'messaging.system': 'kafka', 'messaging.destination.name': topic },
    },
    parent,
    async (span) => {
      try {
        return await work(span);
      } finally {
        span.end();
      }
    },
  );
}

/**
 * Runs `work` in the trace of a message handled as part of a batch, so what it
 * publishes carries that message's trace (a batch has no single parent span).
 */
export function withTraceparent<T>(
  traceparent: string | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!traceparent) return work();
  return context.with(propagation.extract(ROOT_CONTEXT, { traceparent }), work);
}
