import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { EventManagerEnv } from '../event-manager.env';
import { Counter } from 'prom-client';
import type { Logger } from 'pino';
import { LogsRepository } from './logs.repository';

const deleted = new Counter({
  name: 'baton_log_retention_deleted_total',
  help: 'Log records deleted by retention',
});

const BATCH = 5_000;

/**
 * Deletes expired log records in batches, with the event retention's
 * interval: LOG_RETENTION_MS, or a workspace's own `baton.logs` retention
 * policy (POST /v1/retention-policies { type: 'baton.logs', max_age: '30d' }).
 */
@Injectable()
export class LogRetentionPoller extends Poller {
  constructor(logs: LogsRepository, @Inject(LOGGER) logger: Logger, env: EventManagerEnv) {
    super({
      round: async () => {
        let total = 0;
        for (;;) {
          const n = await logs.deleteExpired(env.LOG_RETENTION_MS, BATCH);
          total += n;
          deleted.inc(n);
          if (n < BATCH || !this.loop.isRunning) break;
        }
        if (total > 0) logger.info({ deleted: total }, 'retention deleted expired log records');
      },
      intervalMs: env.EVENT_RETENTION_INTERVAL_MS,
      onError: (err) => logger.warn({ err }, 'log retention failed; will retry'),
      delayFirstRound: true,
    });
  }
}
