import {
  DomainError,
  EVENT_STREAM_CURSOR,
  FollowEventsQuery,
  MessageTypes,
  Topics,
  validateInto,
  type FollowedEventsPage,
} from '@baton/contracts';
import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiHeader,
  ApiOkResponse,
  ApiProduces,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';
import { SseStreams, type SseSource } from '../streams/sse-streams';
import { WorkspaceEventFeed } from './workspace-event-feed';

const MAX_CURSOR = 64;

/** Clients that cannot speak Kafka (Python, browsers) follow the workspace's events here (ADR 0024). */
@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/events')
export class EventStreamController {
  constructor(
    private readonly platform: PlatformClient,
    private readonly streams: SseStreams,
  ) {}

  /**
   * The workspace's events as they are stored, as Server-Sent Events
   * (`id:` a cursor, `event:` the type, `data:` the stored event JSON),
   * starting now or after `Last-Event-ID` (or `?after=`). At least once: a client that
   * reconnects with the last id it saw misses nothing.
   */
  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiQuery({ name: 'type', required: false, isArray: true, description: 'type patterns: order.*' })
  @ApiQuery({ name: 'subject', required: false })
  @ApiQuery({ name: 'source', required: false })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this cursor' })
  @ApiOkResponse({ description: 'a text/event-stream of the workspace’s stored events' })
  async stream(
    @Query() query: Record<string, unknown>,
    @Headers('last-event-id') lastEventId: string | undefined,
    @CurrentCaller() caller: Caller,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    if ('limit' in query) throw DomainError.invalid('limit', 'is not a parameter of the stream');
    const { after, ...filter } = validateInto(FollowEventsQuery, toFollowQuery(query), 'query');
    const resumeAfter = lastEventId?.trim() || after;
    if (
      resumeAfter !== undefined &&
      (resumeAfter.length > MAX_CURSOR || !EVENT_STREAM_CURSOR.test(resumeAfter))
    ) {
      throw DomainError.invalid('Last-Event-ID', 'is not a cursor this stream handed out');
    }
    const feed = new WorkspaceEventFeed(
      (follow) =>
        this.platform.send<FollowedEventsPage>(
          Topics.eventCommands,
          MessageTypes.eventFollow,
          follow,
          caller,
        ),
      filter,
      resumeAfter,
    );
    // The first read answers 4xx as problem+json while the stream has not started.
    let pending = await feed.start();
    const source: SseSource = {
      next: async () => {
        const frames = [...pending, ...(await feed.next())];
        pending = [];
        return frames;
      },
      finished: false,
      keepAlive: () => feed.keepAlive(),
    };
    await this.streams.serve(caller, request, response, source, { stream: 'events' });
  }
}

/** `?type=a&type=b` and `?type=a,b` both name two patterns. */
function toFollowQuery(query: Record<string, unknown>): Record<string, unknown> {
  const { type, ...rest } = query;
  if (type === undefined) return rest;
  const values = (Array.isArray(type) ? type : [type]).flatMap((value) =>
    typeof value === 'string' ? value.split(',').filter((part) => part !== '') : [value],
  );
  return { ...rest, types: values };
}
