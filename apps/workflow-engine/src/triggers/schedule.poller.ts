import { PollingLoop } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { FireSchedulesUseCase } from './fire-schedules.usecase';

/** Polls Postgres for due schedules; they live in the database, so they survive restarts. */
@Injectable()
export class SchedulePoller implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollingLoop;

  constructor(fireSchedules: FireSchedulesUseCase, @Inject(LOGGER) logger: Logger) {
    this.loop = new PollingLoop({
      round: async () => (await fireSchedules.execute()) > 0,
      // Sub-second, so that a six-field (seconds) cron fires close to its time.
      intervalMs: 250,
      onError: (err) => logger.warn({ err }, 'firing schedules failed; will retry'),
    });
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
