import CircuitBreaker from 'opossum';
import { Counter, Gauge, Histogram } from 'prom-client';
import {
  OperationError,
  type ConnectionTarget,
  type Connector,
  type ErrorType,
  type Operation,
  type OperationContext,
  type OperationResult,
  type TaskReference,
} from './connector';
import type { ConnectionObserver } from './connection-observer';
import { Bulkhead, resilienceOf, retryDelayMs, TokenBucket, type Resilience } from './resilience';

const calls = new Counter({
  name: 'baton_connector_calls_total',
  help: 'Connector operation calls by outcome (ok, validation_error, system_error, timeout)',
  labelNames: ['connector', 'workspace', 'connection', 'operation', 'outcome'],
});
const latency = new Histogram({
  name: 'baton_connector_call_duration_seconds',
  help: 'Connector operation latency, retries and waits included',
  labelNames: ['connector', 'workspace', 'connection', 'operation'],
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});
const rejections = new Counter({
  name: 'baton_connector_rejections_total',
  help: 'Calls refused before reaching the target (breaker_open, bulkhead_full, rate_limited)',
  labelNames: ['connector', 'workspace', 'connection', 'reason'],
});
const breakerState = new Gauge({
  name: 'baton_connector_breaker_state',
  help: 'Circuit breaker of a connection on this replica: 0 closed, 1 half-open, 2 open',
  labelNames: ['connector', 'workspace', 'connection'],
});

export type BreakerState = 'closed' | 'half_open' | 'open';

/** What `GET /v1/connections/{name}/health` shows of one replica's view of a connection. */
export interface ConnectionHealth {
  breaker: BreakerState;
  calls: number;
  errors: Record<ErrorType, number>;
  in_flight: number;
  queued: number;
  last_error: { type: ErrorType; message: string; at: string } | null;
  last_success_at: string | null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

/**
 * One connection's breaker, rate limit and bulkhead on this replica.
 *
 * The breaker is per replica, deliberately: each replica learns a target is
 * down from its own calls within `breaker_min_calls` calls, so sharing the
 * state through Postgres would save a handful of failed calls per replica at
 * the price of a database round trip on every call of every connection.
 */
export class ConnectionRuntime {
  readonly resilience: Resilience;
  private readonly breaker: CircuitBreaker<[() => Promise<OperationResult>], OperationResult>;
  private readonly bucket: TokenBucket;
  private readonly bulkhead: Bulkhead;
  private readonly labels: { connector: string; workspace: string; connection: string };
  private readonly stats: Omit<ConnectionHealth, 'breaker' | 'in_flight' | 'queued'> = {
    calls: 0,
    errors: { validation_error: 0, system_error: 0, timeout: 0 },
    last_error: null,
    last_success_at: null,
  };

  constructor(
    readonly connector: Connector,
    readonly workspace: string,
    readonly name: string,
    /** Which stored version of the connection this runtime was built for. */
    readonly version: number,
    config: Record<string, unknown>,
    private readonly observer?: ConnectionObserver,
  ) {
    this.resilience = resilienceOf(config);
    const r = this.resilience;
    this.labels = { connector: connector.kind, workspace, connection: name };
    this.bucket = new TokenBucket(r.rate_per_second, r.burst);
    this.bulkhead = new Bulkhead(r.max_concurrent, r.max_queued);
    this.breaker = new CircuitBreaker((thunk: () => Promise<OperationResult>) => thunk(), {
      name: `${workspace}/${name}`,
      timeout: false, // each attempt has its own AbortSignal deadline
      errorThresholdPercentage: r.breaker_error_percent,
      volumeThreshold: r.breaker_min_calls,
      rollingCountTimeout: r.breaker_window_ms,
      resetTimeout: r.breaker_reset_ms,
      // The caller's mistakes say nothing about the target's health.
      errorFilter: (error: unknown) =>
        error instanceof OperationError && error.type === 'validation_error',
    });
    const setState = (value: number) => breakerState.set(this.labels, value);
    setState(0);
    this.breaker.on('open', () => {
      setState(2);
      observer?.breaker(workspace, name, 'open', new Date(Date.now() + r.breaker_reset_ms));
    });
    this.breaker.on('halfOpen', () => {
      setState(1);
      observer?.breaker(workspace, name, 'half_open', null);
    });
    this.breaker.on('close', () => {
      setState(0);
      observer?.breaker(workspace, name, 'closed', null);
    });
  }

  get breakerState(): BreakerState {
    if (this.breaker.opened) return 'open';
    if (this.breaker.halfOpen) return 'half_open';
    return 'closed';
  }

  health(): ConnectionHealth {
    return {
      breaker: this.breakerState,
      ...this.stats,
      errors: { ...this.stats.errors },
      in_flight: this.bulkhead.inFlight,
      queued: this.bulkhead.queued,
    };
  }

  /**
   * One operation call: bulkhead slot, then per attempt a rate-limit token,
   * the breaker and the timeout; idempotent operations retry system errors
   * and timeouts up to `retries` times. Throws OperationError only.
   */
  async call(
    operation: Operation,
    connection: ConnectionTarget,
    input: Record<string, unknown>,
    task?: TaskReference,
  ): Promise<OperationResult> {
    const started = performance.now();
    const labels = { ...this.labels, operation: operation.name };
    let outcome: 'ok' | ErrorType = 'system_error';
    try {
      const result = await this.guarded(operation, connection, input, task);
      outcome = 'ok';
      this.record(labels, 'ok');
      return result;
    } catch (error) {
      const failure = this.asOperationError(error);
      outcome = failure.type;
      this.record(labels, failure.type, failure.message);
      throw failure;
    } finally {
      const ms = performance.now() - started;
      latency.observe(labels, ms / 1000);
      this.observer?.call(this.workspace, this.name, outcome, ms);
    }
  }

  /** A probe through the same breaker and timeout (not retried, not rate limited). */
  async probe(connection: ConnectionTarget): Promise<Record<string, unknown>> {
    return (
      await this.fire(connection, undefined, (context) =>
        this.connector.probe(context).then((output) => ({ output })),
      )
    ).output as Record<string, unknown>;
  }

  shutdown(): void {
    // A rebuilt runtime (the connection changed) starts closed; say so if this one was not.
    if (this.breakerState !== 'closed')
      this.observer?.breaker(this.workspace, this.name, 'closed', null);
    this.breaker.shutdown();
    breakerState.remove(this.labels);
  }

  private async guarded(
    operation: Operation,
    connection: ConnectionTarget,
    input: Record<string, unknown>,
    task?: TaskReference,
  ): Promise<OperationResult> {
    const r = this.resilience;
    // Waiting for a slot is bounded by one attempt's timeout.
    const release = await this.bulkhead.acquire(AbortSignal.timeout(r.timeout_ms));
    if (!release) {
      rejections.inc({ ...this.labels, reason: 'bulkhead_full' });
      throw new OperationError(
        'system_error',
        `connection '${this.name}' is saturated: ${r.max_concurrent} calls in flight and ${r.max_queued} waiting (bulkhead)`,
      );
    }
    try {
      const attempts = operation.idempotent(input, connection) ? 1 + r.retries : 1;
      for (let attempt = 1; ; attempt++) {
        try {
          await this.takeToken();
          return await this.fire(connection, task, (context) => operation.execute(context, input));
        } catch (error) {
          const failure = this.asOperationError(error);
          const retriable = failure.type !== 'validation_error' && !this.isBreakerRejection(error);
          if (!retriable || attempt >= attempts) throw failure;
          await sleep(retryDelayMs(attempt, failure.retryAfterMs));
        }
      }
    } finally {
      release();
    }
  }

  private async takeToken(): Promise<void> {
    const wait = this.bucket.reserve();
    if (wait === 0) return;
    if (wait > this.resilience.timeout_ms) {
      this.bucket.refund();
      rejections.inc({ ...this.labels, reason: 'rate_limited' });
      throw new OperationError(
        'system_error',
        `connection '${this.name}' is rate limited for ${Math.ceil(wait / 1000)} s more`,
        null,
        wait,
      );
    }
    await sleep(wait);
  }

  private async fire(
    connection: ConnectionTarget,
    task: TaskReference | undefined,
    run: (context: OperationContext) => Promise<OperationResult>,
  ): Promise<OperationResult> {
    const timeoutMs = this.resilience.timeout_ms;
    return this.breaker.fire(async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), timeoutMs);
      try {
        const outcome = run({ connection, task, signal: controller.signal, timeoutMs });
        const timedOut = new Promise<never>((_, reject) =>
          controller.signal.addEventListener('abort', () =>
            reject(
              new OperationError(
                'timeout',
                `${this.connector.kind} connection '${this.name}' did not answer within ${timeoutMs / 1000} s`,
              ),
            ),
          ),
        );
        outcome.catch(() => undefined); // settled after a timeout: nobody awaits it any more
        const result = await Promise.race([outcome, timedOut]);
        return result;
      } catch (error) {
        if (error instanceof OperationError && error.retryAfterMs !== undefined) {
          this.bucket.pauseUntil(Date.now() + error.retryAfterMs);
        }
        throw error;
      } finally {
        clearTimeout(timer);
      }
    });
  }

  private isBreakerRejection(error: unknown): boolean {
    return (error as { code?: string }).code === 'EOPENBREAKER';
  }

  private asOperationError(error: unknown): OperationError {
    if (error instanceof OperationError) return error;
    if (this.isBreakerRejection(error)) {
      rejections.inc({ ...this.labels, reason: 'breaker_open' });
      return new OperationError(
        'system_error',
        `circuit breaker of connection '${this.name}' is open after repeated failures; calls fail fast for up to ${this.resilience.breaker_reset_ms / 1000} s`,
      );
    }
    return new OperationError(
      'system_error',
      `${this.connector.kind} connection '${this.name}' failed: ${(error as Error).message ?? String(error)}`,
    );
  }

  private record(
    labels: Record<string, string>,
    outcome: 'ok' | ErrorType,
    message?: string,
  ): void {
    calls.inc({ ...labels, outcome });
    this.stats.calls++;
    const at = new Date().toISOString();
    if (outcome === 'ok') {
      this.stats.last_success_at = at;
      return;
    }
    this.stats.errors[outcome]++;
    this.stats.last_error = { type: outcome, message: message ?? outcome, at };
  }
}
