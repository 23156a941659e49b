import {
  MessageTypes,
  RunIdQuery,
  Topics,
  validateInto,
  type ListEventsQuery,
  type Page,
  type StoredEventView,
} from '@baton/contracts';
import { Controller, Get, Headers, Param, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';
import { SseStreams, type SseSource } from '../streams/sse-streams';
import { RunEventFeed, formatSse } from './run-event-feed';

@ApiTags('runs')
@ApiBearerAuth()
@Controller('v1/runs')
export class RunEventsController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly streams: SseStreams,
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
    const feed = new RunEventFeed(
      query.run_id,
      (list: ListEventsQuery) =>
        this.platform.send<Page<StoredEventView>>(
          Topics.eventCommands,
          MessageTypes.eventList,
          list,
          caller,
        ),
      lastEventId,
    );
    const source: SseSource = {
      next: async () => (await feed.next()).map(formatSse),
      get finished() {
        return feed.finished;
      },
    };
    await this.streams.serve(caller, request, response, source, { run_id: query.run_id });
  }
}
