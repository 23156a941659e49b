import {
  MessageTypes,
  RunIdQuery,
  Topics,
  validateInto,
  type ListEventsQuery,
  type Page,
  type StoredEventView,
} from '@baton/contracts';
import { LOGGER } from '@baton/telemetry';
import {
  Controller,
  Get,
  Headers,
  Inject,
  Param,
  Req,
  Res,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';
import { StreamSlots } from '../rate-limits/stream-slots';
import { RunEventFeed, formatSse } from './run-event-feed';

const POLL_INTERVAL_MS = 500;
const KEEP_ALIVE_MS = 15_000;
/** Consecutive failed reads of the event store after which the stream gives up. */
const MAX_FAILED_POLLS = 20;

@ApiTags('runs')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunEventsController implements OnModuleDestroy {
  private closing = false;
  private readonly streams = new Set<Promise<void>>();

  constructor(
    private readonly platform: PlatformClient,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly slots: StreamSlots,
  ) {}

  /**
   * The run's history as Server-Sent Events (`event: workflow.step.completed`,
   * `data: <stored event JSON>`), then its live events, until the run
   * completes, fails or is cancelled. Reconnecting with `Last-Event-ID` resumes.
   * The gateway holds no state: it follows the event store (polling every 500 ms).
   */
  @Get(':id/events')
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this event' })
  @ApiOkResponse({ description: 'a text/event-stream of the run’s workflow.* events' })
  async stream(
    @Param('id') id: string,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const query = validateInto(RunIdQuery, { run_id: id }, 'path');
    // Answers 404 (as problem+json) before the stream starts when the run does not exist.
    await this.platform.send(Topics.workflowCommands, MessageTypes.runGet, query, caller, id);
    // The workspace's cap on open streams, over every replica: a 429 before the stream starts.
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
      const done = this.follow(query.run_id, lastEventId, caller, response, () => open);
      this.streams.add(done);
      await done.finally(() => this.streams.delete(done));
    } finally {
      release();
    }
  }

  /** Shutdown ends every stream at its next poll; clients reconnect with Last-Event-ID. */
  async onModuleDestroy(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.streams]);
  }

  private async follow(
    runId: string,
    lastEventId: string | undefined,
    caller: Caller,
    response: Response,
    isOpen: () => boolean,
  ): Promise<void> {
    const feed = new RunEventFeed(
      runId,
      (list: ListEventsQuery) =>
        this.platform.send<Page<StoredEventView>>(
          Topics.eventCommands,
          MessageTypes.eventList,
          list,
          caller,
        ),
      lastEventId,
    );
    let failures = 0;
    let lastWrite = Date.now();
    while (isOpen() && !this.closing) {
      try {
        for (const event of await feed.next()) {
          response.write(formatSse(event));
          lastWrite = Date.now();
        }
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.warn({ err: error, run_id: runId }, 'reading run events failed');
        if (failures >= MAX_FAILED_POLLS) {
          response.write(
            `event: error\ndata: ${JSON.stringify({ detail: 'the event store is not answering' })}\n\n`,
          );
          break;
        }
      }
      if (feed.finished) break;
      if (Date.now() - lastWrite >= KEEP_ALIVE_MS) {
        response.write(': keep-alive\n\n');
        lastWrite = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
    response.end();
  }
}
