import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, Optional, type BeforeApplicationShutdown } from '@nestjs/common';
import type { Logger } from 'pino';
import { CircuitBreakers } from '../runtimes/circuit-breakers';
import { AgentMetrics } from './agent-metrics';
import { ResultStatsWriter, type ResultKey, type ResultStat } from './result-stats.writer';

export interface ResultStatsBufferOptions {
  /** The longest a row waits before it is written, in ms. */
  intervalMs: number;
  /** This many rows waiting are written at once, without waiting for the interval; also the most rows per insert. */
  maxBatch: number;
  /** The most rows kept while inserts fail; beyond, the oldest are dropped. */
  maxRetained: number;
}

/** Optional provider token to override the defaults (tests). */
export const RESULT_STATS_BUFFER_OPTIONS = Symbol('RESULT_STATS_BUFFER_OPTIONS');

export const RESULT_STATS_BUFFER_DEFAULTS: ResultStatsBufferOptions = {
  // Stats are derived data: writing them a quarter of a second late takes the
  // insert off the instant the workflow engine commits the same step, and lets
  // a burst of results share one insert; stats and breakers trail by at most that.
  intervalMs: 250,
  maxBatch: 1_000,
  // With an insert a tick, 10,000 rows is seconds of results at load: enough to
  // ride out a short Postgres outage without letting memory grow without limit.
  maxRetained: 10_000,
};

/**
 * Buffers the results agent-manager reads on baton.agent.results and writes
 * them to agent_results in one insert per interval (or as soon as a batch is
 * full), then counts the rows that were new (not redeliveries) in the metrics
 * and circuit breakers. One flush at a time; a failed insert keeps its rows for
 * the next tick (up to maxRetained); a timer runs only while rows wait.
 */
@Injectable()
export class ResultStatsBuffer implements BeforeApplicationShutdown {
  private readonly options: ResultStatsBufferOptions;
  private pending: ResultStat[] = [];
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  /** A flush was asked for while one ran: the running one goes on once done. */
  private again = false;
  private closed = false;
  /** Rows dropped since inserts started failing (reported once they work again). */
  private dropped = 0;

  constructor(
    private readonly writer: ResultStatsWriter,
    private readonly metrics: AgentMetrics,
    private readonly breakers: CircuitBreakers,
    @Inject(LOGGER) private readonly logger: Logger,
    @Optional()
    @Inject(RESULT_STATS_BUFFER_OPTIONS)
    options?: Partial<ResultStatsBufferOptions>,
  ) {
    this.options = { ...RESULT_STATS_BUFFER_DEFAULTS, ...options };
  }

  /** Rows waiting to be written. */
  get waiting(): number {
    return this.pending.length;
  }

  add(rows: readonly ResultStat[]): void {
    if (rows.length === 0) return;
    this.pending.push(...rows);
    this.bound();
    if (this.closed || this.pending.length >= this.options.maxBatch) void this.flush();
    else this.arm();
  }

  /** Writes what waits; while a flush runs, it runs once more when done (never two at once). */
  flush(): Promise<void> {
    this.disarm();
    if (this.flushing) {
      this.again = true;
      return this.flushing;
    }
    const run = this.drain().finally(() => {
      this.flushing = undefined;
      this.arm();
    });
    this.flushing = run;
    return run;
  }

  /**
   * After every onModuleDestroy, so after TaskResultsConsumer stopped (Nest
   * runs a module's onModuleDestroy hooks concurrently), and before the
   * DataSource closes (onApplicationShutdown): writes the last results.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.closed = true;
    await this.flush();
    // The flush that was running when we were called failed: one last try.
    if (this.pending.length > 0) await this.flush();
    if (this.pending.length > 0)
      this.logger.warn(
        { rows: this.pending.length },
        'result stats could not be written before shutdown; they are lost',
      );
  }

  private async drain(): Promise<void> {
    for (;;) {
      this.again = false;
      if (!(await this.writeOnce())) return;
      if (this.pending.length === 0) return;
      const more = this.again || this.closed || this.pending.length >= this.options.maxBatch;
      if (!more) return;
    }
  }

  /** One insert of the oldest rows; false when it failed (the rows are kept). */
  private async writeOnce(): Promise<boolean> {
    const rows = this.pending.splice(0, this.options.maxBatch);
    if (rows.length === 0) return true;
    let written: ResultKey[];
    try {
      written = await this.writer.insert(rows);
    } catch (error) {
      this.pending.unshift(...rows);
      this.bound();
      this.logger.error(
        { err: error, rows: this.pending.length },
        'writing result stats failed; will retry',
      );
      return false;
    }
    if (this.dropped > 0) {
      this.logger.warn(
        { dropped: this.dropped },
        'result stats rows were dropped while writing them failed',
      );
      this.dropped = 0;
    }
    this.count(rows, written);
    return true;
  }

  /** Metrics and breakers count only the rows the insert wrote: a redelivery counts once. */
  private count(rows: ResultStat[], written: ResultKey[]): void {
    const fresh = new Set(written.map((r) => `${r.task_id}/${r.attempt}`));
    for (const s of rows) {
      // delete, not has: the same result twice in one insert is written, and counted, once.
      if (!fresh.delete(`${s.taskId}/${s.attempt}`)) continue;
      this.metrics.record(s.workspace, s.agent, s.status, s.durationMs);
      const tripping = s.errorType === 'system_error' || s.errorType === 'timeout';
      if (s.status === 'completed') this.breakers.record(s.workspace, s.agent, 'success');
      else if (tripping) this.breakers.record(s.workspace, s.agent, 'failure');
    }
  }

  /** Drops the oldest rows beyond maxRetained. */
  private bound(): void {
    const excess = this.pending.length - this.options.maxRetained;
    if (excess <= 0) return;
    this.pending.splice(0, excess);
    if (this.dropped === 0)
      this.logger.warn(
        { max: this.options.maxRetained },
        'result stats are not being written and the buffer is full: dropping the oldest rows',
      );
    this.dropped += excess;
  }

  /** A timer only while rows wait and no flush runs (a running flush re-arms when done). */
  private arm(): void {
    if (this.timer || this.flushing || this.closed || this.pending.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  private disarm(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
