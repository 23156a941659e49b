import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { EventManagerEnv } from '../event-manager.env';
import { EnforceRetentionUseCase } from './enforce-retention.usecase';

/** Enforces retention in the background, every EVENT_RETENTION_INTERVAL_MS. */
@Injectable()
export class RetentionPoller extends Poller {
  constructor(
    enforce: EnforceRetentionUseCase,
    @Inject(LOGGER) logger: Logger,
    env: EventManagerEnv,
  ) {
    super({
      round: async () => {
        const deleted = await enforce.execute(() => this.loop.isRunning);
        if (deleted > 0) logger.info({ deleted }, 'retention deleted expired events');
      },
      intervalMs: env.EVENT_RETENTION_INTERVAL_MS ?? 60_000,
      onError: (err) => logger.warn({ err }, 'enforcing retention failed; will retry'),
      delayFirstRound: true,
    });
  }
}
