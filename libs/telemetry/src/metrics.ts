import { collectDefaultMetrics, register, type Registry } from 'prom-client';

let started = false;

/** The process-wide Prometheus registry, with Node's default process metrics. */
export function metricsRegistry(service: string): Registry {
  if (!started) {
    register.setDefaultLabels({ service: `baton-${service}` });
    collectDefaultMetrics({ register });
    started = true;
  }
  return register;
}
