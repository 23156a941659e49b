import {
  collectDefaultMetrics,
  Counter,
  Gauge,
  Histogram,
  register,
  type CounterConfiguration,
  type GaugeConfiguration,
  type HistogramConfiguration,
  type Registry,
} from 'prom-client';

let started = false;

/** The process-wide Prometheus registry, with Node's default process metrics. */
export function metricsRegistry(service: string): Registry {
  if (!started) {
    register.setDefaultLabels({ service: `baton-${service}` });
    // CPU, memory, heap, GC, handles and event-loop lag (nodejs_eventloop_lag_*).
    collectDefaultMetrics({ register, eventLoopMonitoringPrecision: 20 });
    started = true;
  }
  return register;
}

/**
 * Recording on the hot path can be switched off (BATON_METRICS=off) to
 * measure what it costs (bench/observability-overhead.js); scraping and the
 * scrape-time gauges are unaffected.
 */
export const hotPathMetrics = process.env.BATON_METRICS !== 'off';

/** Buckets for durations from a millisecond to a few minutes, in seconds. */
export const DURATION_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300,
];

/*
 * A metric is registered once per process: a module loaded twice (tests,
 * two Nest modules) gets the one already registered instead of an error.
 */
export function counter<L extends string>(config: CounterConfiguration<L>): Counter<L> {
  return (register.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter(config);
}

export function gauge<L extends string>(config: GaugeConfiguration<L>): Gauge<L> {
  return (register.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge(config);
}

export function histogram<L extends string>(config: HistogramConfiguration<L>): Histogram<L> {
  return (
    (register.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new Histogram(config)
  );
}
