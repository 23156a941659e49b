import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import { logShippingBuffer } from './log-shipping';
import { currentContext } from './request-context';

/** Keys whose values never reach a log line, wherever they appear (two levels deep). */
const SECRET_KEYS = [
  'authorization',
  'api_key',
  'apiKey',
  'password',
  'secret',
  'secrets',
  'token',
  'access_token',
  'refresh_token',
  'client_secret',
  'key',
  'cookie',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/**
 * The service's JSON logger: every line to stdout, and warnings and errors
 * also to the log shipping buffer, which a LogShipper (service-kit) sends to
 * the platform's log store (docs/adr/0027-logs-in-one-place.md).
 */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  const shipping = logShippingBuffer();
  const options: pino.LoggerOptions = {
    level,
    base: { service: `baton-${service}` },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    // Every line carries the ids that tie it to a workspace, a request and a trace.
    mixin() {
      const context = currentContext();
      const span = trace.getActiveSpan()?.spanContext();
      return {
        ...(context.workspaceId ? { workspace_id: context.workspaceId } : {}),
        ...(context.correlationId ? { correlation_id: context.correlationId } : {}),
        ...(span ? { trace_id: span.traceId, span_id: span.spanId } : {}),
      };
    },
  };
  if (!shipping) return pino(options);
  return pino(
    options,
    pino.multistream([
      { level: 'trace', stream: pino.destination(1) },
      { level: 'warn', stream: shipping },
    ]),
  );
}
