import {
  AlertMessageTypes as Types,
  ChannelNameQuery,
  CreateNotificationChannelCommand,
  Topics,
  validateInto,
  type NotificationChannelView,
  type Page,
} from '@baton/contracts';
import { Body, Controller, Delete, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { PlatformClient } from '../platform/platform-client';

/** Where alerts and the `notify-admin` handler send: email, slack, webhook, pagerduty. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/notification-channels')
export class NotificationChannelsController {
  constructor(private readonly platform: PlatformClient) {}

  /** Secrets in `config` are sealed and never shown again (a webhook's signing secret: once, here). */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateNotificationChannelCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NotificationChannelView> {
    const command = validateInto(CreateNotificationChannelCommand, body);
    const channel = await this.platform.send<NotificationChannelView>(
      Topics.eventCommands,
      Types.channelCreate,
      command,
      caller,
      command.name,
    );
    response.status(201).location(`/v1/notification-channels/${channel.name}`);
    return channel;
  }

  @Get()
  list(@CurrentCaller() caller: Caller): Promise<Page<NotificationChannelView>> {
    return this.platform.send(Topics.eventCommands, Types.channelList, {}, caller);
  }

  /** With what waits to be sent through it and its last failure. */
  @Get(':name')
  get(
    @Param('name') name: string,
    @CurrentCaller() caller: Caller,
  ): Promise<NotificationChannelView> {
    const query = validateInto(ChannelNameQuery, { name }, 'path');
    return this.platform.send(Topics.eventCommands, Types.channelGet, query, caller, name);
  }

  @Delete(':name')
  @HttpCode(204)
  async remove(@Param('name') name: string, @CurrentCaller() caller: Caller): Promise<void> {
    const query = validateInto(ChannelNameQuery, { name }, 'path');
    await this.platform.send(Topics.eventCommands, Types.channelDelete, query, caller, name);
  }
}
