import { context, propagation, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';

const tracer = trace.getTracer('baton-outbound-http');

/**
 * The URL as a span may show it: scheme, host, port and path. The query and
 * any user:password are left out, since tenants put tokens there.
 */
export function traceableUrl(url: URL): string {
  return `${url.protocol}//${url.host}${url.pathname}`;
}

/**
 * Runs one outbound request as an HTTP client span (semantic conventions:
 * span name the method, http.request.method, server.address, url.full,
 * http.response.status_code), and hands `send` the headers that carry the
 * span's traceparent, so an agent or receiver that traces joins the run's
 * trace. A no-op tracer (no exporter) only passes the caller's context on.
 */
export async function withHttpClientSpan<T extends { status: number }>(
  method: string,
  url: URL,
  send: (traceHeaders: Record<string, string>) => Promise<T>,
): Promise<T> {
  return tracer.startActiveSpan(
    method,
    {
      kind: SpanKind.CLIENT,
      attributes: {
        'http.request.method': method,
        'server.address': url.hostname,
        ...(url.port ? { 'server.port': Number(url.port) } : {}),
        'url.full': traceableUrl(url),
      },
    },
    async (span) => {
      const traceHeaders: Record<string, string> = {};
      propagation.inject(context.active(), traceHeaders);
      try {
        const response = await send(traceHeaders);
        span.setAttribute('http.response.status_code', response.status);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      } catch (error) {
        span.setAttribute('error.type', (error as Error)?.name ?? 'Error');
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error)?.message });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
