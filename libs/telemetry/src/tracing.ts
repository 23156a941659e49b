import { NodeSDK } from '@opentelemetry/sdk-node';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

let sdk: NodeSDK | undefined;

export interface TracingOptions {
  /**
   * Server spans for incoming HTTP requests, continuing a caller's
   * traceparent: for the gateway, the one service users call over HTTP.
   * Elsewhere HTTP serves only /health and /metrics, which are not traced,
   * and the instrumentation would cost every service on its hottest path:
   * it hooks require(), and the hook resolves the module path again on every
   * call, even for a module long loaded. kafkajs requires its protocol
   * modules on every request it sends, so with the hook each fetch and
   * produce paid that lookup; in the workflow engine it was about 5% of its
   * CPU during the per-step benchmark.
   */
  incomingHttp?: boolean;
}

/**
 * Must run before anything else is imported in main.ts: the HTTP
 * instrumentation patches node:http when it is first loaded. Spans are always
 * created (so trace ids reach logs and Kafka headers); they are exported only
 * when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function startTracing(serviceName: string, options: TracingOptions = {}): void {
  if (sdk) return;
  const exporting = Boolean(process.env.OTEL_EXPORTER_OTLP_ENDPOINT);
  if (!exporting) process.env.OTEL_TRACES_EXPORTER ??= 'none';
  process.env.OTEL_METRICS_EXPORTER ??= 'none';
  process.env.OTEL_LOGS_EXPORTER ??= 'none';
  sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: `baton-${serviceName}` }),
    ...(exporting ? { traceExporter: new OTLPTraceExporter() } : {}),
    instrumentations: options.incomingHttp
      ? [
          new HttpInstrumentation({
            ignoreIncomingRequestHook: (request) =>
              request.url === '/metrics' || (request.url ?? '').startsWith('/health'),
          }),
        ]
      : [],
  });
  sdk.start();
}

export async function stopTracing(): Promise<void> {
  await sdk?.shutdown().catch(() => undefined);
  sdk = undefined;
}
