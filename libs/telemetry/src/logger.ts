import { trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
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

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
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
  });
}
