import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { FireSchedulesUseCase } from './fire-schedules.usecase';

/** Polls Postgres for due schedules; they live in the database, so they survive restarts. */
@Injectable()
export class SchedulePoller extends Poller {
  constructor(fireSchedules: FireSchedulesUseCase, @Inject(LOGGER) logger: Logger) {
    super({
      round: async () => (await fireSchedules.execute()) > 0,
      // Sub-second, so that a six-field (seconds) cron fires close to its time.
      intervalMs: 250,
      onError: (err) => logger.warn({ err }, 'firing schedules failed; will retry'),
    });
  }
}
