import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import type { Caller } from '../auth/caller';
import { StreamSlots } from '../rate-limits/stream-slots';

const POLL_INTERVAL_MS = 500;
const KEEP_ALIVE_MS = 15_000;
/** Consecutive failed reads of the event store after which the stream gives up. */
const MAX_FAILED_POLLS = 20;

/** What a stream follows: each poll answers the Server-Sent Event frames that arrived since. */
export interface SseSource {
  next(): Promise<string[]>;
  /** True when nothing more will come (a finished run); the stream then ends. */
  readonly finished: boolean;
  /** A frame sent instead of a bare keep-alive comment, e.g. an `id:` that moves the resume point. */
  keepAlive?(): string | undefined;
}

/**
 * Serves Server-Sent Event streams that follow the event store: takes one of
 * the workspace's stream slots (a 429 before the stream starts), polls the
 * source every 500 ms, writes keep-alives, and ends every stream at shutdown
 * (clients reconnect with Last-Event-ID). The gateway keeps no other state.
 */
@Injectable()
export class SseStreams implements OnModuleDestroy {
  private closing = false;
  private readonly streams = new Set<Promise<void>>();

  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly slots: StreamSlots,
  ) {}

  async serve(
    caller: Caller,
    request: Request,
    response: Response,
    source: SseSource,
    logContext: Record<string, unknown>,
  ): Promise<void> {
    const release = await this.slots.open(caller);
    response.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // proxies must not buffer a stream
    });
    let open = true;
    request.on('close', () => {
      open = false;
      release();
    });
    try {
      response.flushHeaders();
      const done = this.follow(source, response, () => open, logContext);
      this.streams.add(done);
      await done.finally(() => this.streams.delete(done));
    } finally {
      release();
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.streams]);
  }

  private async follow(
    source: SseSource,
    response: Response,
    isOpen: () => boolean,
    logContext: Record<string, unknown>,
  ): Promise<void> {
    let failures = 0;
    let lastWrite = Date.now();
    while (isOpen() && !this.closing) {
      try {
        for (const frame of await source.next()) {
          response.write(frame);
          lastWrite = Date.now();
        }
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.warn({ err: error, ...logContext }, 'reading the event store failed');
        if (failures >= MAX_FAILED_POLLS) {
          response.write(
            `event: error\ndata: ${JSON.stringify({ detail: 'the event store is not answering' })}\n\n`,
          );
          break;
        }
      }
      if (source.finished) break;
      if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
        response.write(source.keepAlive?.() ?? ': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    response.end();
  }
}
