import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { FireTimersUseCase } from './fire-timers.usecase';

/** Polls Postgres for due timers; timers live in the database, so they survive restarts. */
@Injectable()
export class TimersPoller extends Poller {
  constructor(fireTimers: FireTimersUseCase, @Inject(LOGGER) logger: Logger) {
    super({
      round: async () => (await fireTimers.execute()) > 0,
      intervalMs: 200,
      onError: (err) => logger.warn({ err }, 'firing timers failed; will retry'),
    });
  }
}
