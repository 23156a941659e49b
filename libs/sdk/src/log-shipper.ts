import { LOG_LIMITS, redactSecrets, type LogRecordInput } from '@baton/contracts';
import type { HttpClient } from './http-client';

export interface LogShipperOptions {
  /** How often buffered records are sent (default 1 s). */
  flushIntervalMs?: number;
  /** Records buffered at most; past it the oldest are dropped and counted (default 5,000). */
  capacity?: number;
}

/**
 * Sends log records to the platform (`POST /v1/logs`) in the background:
 * `add` only buffers, so a handler's log call never waits for the network.
 * Every second (or as soon as a batch is full) one request carries up to 500
 * records. A failed request puts its records back once; a full buffer drops
 * the oldest. Neither ever reaches the caller: `dropped` counts the loss.
 */
export class LogShipper {
  private buffer: LogRecordInput[] = [];
  private timer?: NodeJS.Timeout;
  private sending?: Promise<boolean>;
  private readonly capacity: number;
  private readonly intervalMs: number;
  dropped = 0;

  constructor(
    private readonly http: Pick<HttpClient, 'request'>,
    options: LogShipperOptions = {},
  ) {
    this.capacity = options.capacity ?? 5_000;
    this.intervalMs = options.flushIntervalMs ?? 1_000;
  }

  add(record: LogRecordInput): void {
    if (this.buffer.length >= this.capacity) {
      this.buffer.shift();
      this.dropped++;
    }
    this.buffer.push(redactSecrets(record));
    if (this.buffer.length >= LOG_LIMITS.recordsPerBatch) void this.flush();
    else this.schedule();
  }

  /**
   * Sends everything buffered now; resolves when it was sent, or when the
   * platform could not be reached (the records wait for the next round).
   */
  async flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.buffer.length > 0 || this.sending) {
      if (!this.sending) this.sending = this.sendOne().finally(() => (this.sending = undefined));
      if (!(await this.sending)) break;
    }
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.intervalMs);
    // Buffered logs never keep a finished process alive; call flush() before exiting.
    this.timer.unref();
  }

  /** One request; false when the platform could not take it now (tried again later). */
  private async sendOne(): Promise<boolean> {
    const batch = this.buffer.splice(0, LOG_LIMITS.recordsPerBatch);
    try {
      await this.http.request('POST', '/v1/logs', { body: { records: batch } });
      return true;
    } catch (error) {
      const status = (error as { status?: number }).status;
      // Records the platform refuses (400, 403, 413) would be refused again: dropped.
      if (status !== undefined && status >= 400 && status < 500 && status !== 429) {
        this.dropped += batch.length;
        return true;
      }
      // Unreachable, overloaded or failing: back in front, within the capacity.
      this.buffer.unshift(...batch);
      const over = this.buffer.length - this.capacity;
      if (over > 0) {
        this.buffer.splice(0, over);
        this.dropped += over;
      }
      this.schedule();
      return false;
    }
  }
}
