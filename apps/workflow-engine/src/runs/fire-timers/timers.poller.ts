import { PollingLoop } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { FireTimersUseCase } from './fire-timers.usecase';

/** Polls Postgres for due timers; timers live in the database, so they survive restarts. */
@Injectable()
export class TimersPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollingLoop;

  constructor(fireTimers: FireTimersUseCase, @Inject(LOGGER) logger: Logger) {
    this.loop = new PollingLoop({
      round: async () => (await fireTimers.execute()) > 0,
      intervalMs: 200,
      onError: (err) => logger.warn({ err }, 'firing timers failed; will retry'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
