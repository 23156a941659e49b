import { Topics } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { PlatformClient } from '../platform/platform-client';
import { TopicCommands } from '../platform/topic-commands';

/**
 * The steps of the event-routing resources (subscriptions, transforms,
 * routes, replays, retention policies), sent to event-manager on
 * `event-commands`; injectable, so their controllers share one.
 */
@Injectable()
export class EventCommands extends TopicCommands {
  constructor(platform: PlatformClient) {
    super(platform, Topics.eventCommands);
  }
}
