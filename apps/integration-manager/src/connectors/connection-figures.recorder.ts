import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Counter } from 'prom-client';
import { ConnectionFiguresRepository, type ConnectionCall } from './connection-figures.repository';
import type { CallOutcome, ConnectionObserver, ObservedBreakerState } from './connection-observer';

const FLUSH_MS = 1_000;
/** Calls held for the next flush at most; past that (the database is away) they are dropped and counted. */
const MAX_BUFFERED = 20_000;
const ROWS_PER_INSERT = 1_000;
const PRUNE_EVERY_MS = 3_600_000;

const dropped = new Counter({
  name: 'baton_connector_call_records_dropped_total',
  help: 'Connector call records for alert figures dropped because the database did not take them',
});

/**
 * Keeps the per-connection figures alert rules read, in this service's
 * schema: every call's outcome and duration (buffered, one insert a second,
 * off the call's path) and each replica's breaker state whenever opossum
 * changes it. integration-manager answers event-manager's
 * `baton.integration.metrics.sample` from these rows, so every replica's
 * calls and breakers count, not the one that happens to answer.
 */
@Injectable()
export class ConnectionFiguresRecorder implements ConnectionObserver, OnModuleDestroy {
  private readonly replica = randomUUID();
  private buffer: ConnectionCall[] = [];
  private readonly timer: NodeJS.Timeout;
  private flushing: Promise<void> = Promise.resolve();
  private breakerWrites: Promise<void> = Promise.resolve();
  private prunedAt = 0;

  constructor(
    private readonly figures: ConnectionFiguresRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  call(workspace: string, connection: string, outcome: CallOutcome, durationMs: number): void {
    if (this.buffer.length >= MAX_BUFFERED) {
      dropped.inc();
      return;
    }
    this.buffer.push({ workspace, connection, outcome, ms: durationMs, at: new Date() });
  }

  breaker(
    workspace: string,
    connection: string,
    state: ObservedBreakerState,
    openUntil: Date | null,
  ): void {
    // In order, one at a time: the last change written is the last that happened.
    this.breakerWrites = this.breakerWrites.then(() =>
      this.figures.recordBreaker(workspace, connection, this.replica, state, openUntil).then(
        () => undefined,
        (err: unknown) =>
          this.logger.warn(
            { err, workspace, connection, state },
            'breaker state not recorded for alerts',
          ),
      ),
    );
  }

  /** Writes what is buffered; one flush at a time. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.breakerWrites;
  }

  private async write(): Promise<void> {
    const calls = this.buffer;
    this.buffer = [];
    try {
      for (let i = 0; i < calls.length; i += ROWS_PER_INSERT) {
        await this.figures.insertCalls(calls.slice(i, i + ROWS_PER_INSERT));
      }
      if (Date.now() - this.prunedAt > PRUNE_EVERY_MS) {
        this.prunedAt = Date.now();
        await this.figures.pruneCalls();
      }
    } catch (err) {
      dropped.inc(calls.length);
      this.logger.warn({ err, calls: calls.length }, 'connector call records for alerts dropped');
    }
  }
}
