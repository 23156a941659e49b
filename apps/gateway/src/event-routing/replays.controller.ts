import {
  CreateReplayCommand,
  EventRoutingMessageTypes as Types,
  PageQuery,
  ReplayIdQuery,
  Topics,
  type ReplayView,
} from '@baton/contracts';
import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { ResourceRoutes } from '../resources/resource-routes';

@ApiTags('events')
@ApiBearerAuth()
@Controller('v1/replays')
export class ReplaysController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: { id: ReplayIdQuery },
  list: Types.replayList,
  listQuery: PageQuery,
  // Progress: events selected and handled, deliveries created and how they went.
  get: Types.replayGet,
}) {
  /** Replays stored events to a subscription, a topic, or every current route and subscription. */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateReplayCommand) })
  create(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ReplayView> {
    const command = this.commands.body(
      CreateReplayCommand,
      body,
      idempotencyKey ? { idempotency_key: idempotencyKey } : {},
    );
    return this.commands.create<ReplayView>(Types.replayCreate, command, caller, response, {
      field: 'replay',
      createdStatus: 202,
      location: (replay) => `/v1/replays/${replay.id}`,
    });
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') id: string, @CurrentCaller() caller: Caller): Promise<ReplayView> {
    return this.commands.at(Types.replayCancel, ReplayIdQuery, { id }, caller);
  }
}
