import {
  AlertMessageTypes as Types,
  ChannelNameQuery,
  CreateNotificationChannelCommand,
  Topics,
  type NotificationChannelView,
} from '@baton/contracts';
import { Controller } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { ResourceRoutes } from '../resources/resource-routes';

/** Where alerts and the `notify-admin` handler send: email, slack, webhook, pagerduty. */
@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1/notification-channels')
export class NotificationChannelsController extends ResourceRoutes({
  topic: Topics.eventCommands,
  key: { name: ChannelNameQuery },
  // Secrets in `config` are sealed and never shown again (a webhook's signing secret: once, here).
  create: {
    type: Types.channelCreate,
    body: CreateNotificationChannelCommand,
    location: (channel: NotificationChannelView) => `/v1/notification-channels/${channel.name}`,
    key: (command) => command.name,
  },
  list: Types.channelList,
  // With what waits to be sent through it and its last failure.
  get: Types.channelGet,
  remove: Types.channelDelete,
}) {}
