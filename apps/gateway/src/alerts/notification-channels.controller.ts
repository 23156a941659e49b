import {
  AlertMessageTypes as Types,
  ChannelNameQuery,
  CreateNotificationChannelCommand,
  Topics,
  validateInto,
  type NotificationChannelView,
} from '@baton/contracts';
import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentCaller, type Caller } from '../auth/caller';
import { dtoSchemaRef } from '../openapi/openapi';
import { ResourceRoutes } from '../resources/resource-routes';

/** Where alerts and the `notify-admin` handler send: email, slack, webhook, pagerduty. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/notification-channels')
export class NotificationChannelsController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: { name: ChannelNameQuery },
  list: Types.channelList,
  // With what waits to be sent through it and its last failure.
  get: Types.channelGet,
  remove: Types.channelDelete,
}) {
  /** Secrets in `config` are sealed and never shown again (a webhook's signing secret: once, here). */
  @Post()
  @ApiBody({ schema: dtoSchemaRef(CreateNotificationChannelCommand) })
  async create(
    @Body() body: unknown,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) response: Response,
  ): Promise<NotificationChannelView> {
    const command = validateInto(CreateNotificationChannelCommand, body);
    const channel = await this.commands.send<NotificationChannelView>(
      Types.channelCreate,
      command,
      caller,
      command.name,
    );
    response.status(201).location(`/v1/notification-channels/${channel.name}`);
    return channel;
  }
}
