import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DeliveryWakeup } from '../routing/delivery-wakeup';
import { DeliverRoundUseCase } from './deliver-round.usecase';

/**
 * Runs delivery rounds while there is work, then polls. Deliveries and their
 * retry timers live in Postgres, so nothing waits in memory across a restart:
 * a crashed round's leases expire and its deliveries go again.
 */
@Injectable()
export class DeliveryDispatcher extends Poller {
  constructor(round: DeliverRoundUseCase, wakeup: DeliveryWakeup, @Inject(LOGGER) logger: Logger) {
    super({
      round: async () => (await round.execute()) > 0,
      intervalMs: 250,
      onError: (err, failures) =>
        logger.warn({ err, failures }, 'delivery round failed; will retry'),
      wakeup,
    });
  }
}
