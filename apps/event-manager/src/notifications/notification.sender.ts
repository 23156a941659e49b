import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { NotificationWakeup } from './notification-wakeup';
import { SendNotificationsUseCase } from './send-notifications.usecase';

/** Sends notifications while there are due ones, then polls (retry timers live in Postgres). */
@Injectable()
export class NotificationSender extends Poller {
  constructor(
    round: SendNotificationsUseCase,
    wakeup: NotificationWakeup,
    @Inject(LOGGER) logger: Logger,
  ) {
    super({
      round: async () => (await round.execute()) > 0,
      intervalMs: 1_000,
      onError: (err, failures) =>
        logger.warn({ err, failures }, 'notification round failed; will retry'),
      wakeup,
    });
  }
}
