import {
  CreateReplayCommand,
  EventRoutingMessageTypes as Types,
  PageQuery,
  ReplayIdQuery,
  Topics,
  validateInto,
  type Page,
  type ReplayView,
  isObject,
} from '@baton/contracts';
import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/replays')
export class ReplaysController {
  constructor(private readonly platform: PlatformClient) {}

  /** Replays stored events to a subscription, a topic, or every current route and subscription. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateReplayCommand) })
  async create(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReplayView> {
    const command = validateInto(CreateReplayCommand, {
      ...(isObject(body) ? body : {}),
      ...(idempotencyKey ? { idempotency_key: idempotencyKey } : {}),
    });
    const result = await this.platform.send<{ created: boolean; replay: ReplayView }>(
      Topics.eventCommands,
      Types.replayCreate,
      command,
      caller,
    );
    response.status(result.created ? 202 : 200).location(`/v1/replays/${result.replay.id}`);
    return result.replay;
  }

  @Get()
  list(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<Page<ReplayView>> {
    const page = validateInto(PageQuery, query, 'query', { convertTypes: true });
    return this.platform.send(Topics.eventCommands, Types.replayList, page, caller);
  }

  /** Progress: events selected and handled, deliveries created and how they went. */
  @Get(':id')
  get(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<ReplayView> {
    const query = validateInto(ReplayIdQuery, { id }, 'path');
    return this.platform.send(Topics.eventCommands, Types.replayGet, query, caller, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<ReplayView> {
    const query = validateInto(ReplayIdQuery, { id }, 'path');
    return this.platform.send(Topics.eventCommands, Types.replayCancel, query, caller, id);
  }
}
