import { PollingLoop } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { NotificationWakeup } from './notification-wakeup';
import { SendNotificationsUseCase } from './send-notifications.usecase';

/** Sends notifications while there are due ones, then polls (retry timers live in Postgres). */
@Injectable()
export class NotificationSender implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollingLoop;

  constructor(
    round: SendNotificationsUseCase,
    private readonly wakeup: NotificationWakeup,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.loop = new PollingLoop({
      round: async () => (await round.execute()) > 0,
      intervalMs: 1_000,
      onError: (err, failures) =>
        logger.warn({ err, failures }, 'notification round failed; will retry'),
    });
  }

  onApplicationBootstrap(): void {
    this.wakeup.listen(() => this.loop.wake());
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
