import { PollingLoop } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { DeliveryWakeup } from '../routing/delivery-wakeup';
import { DeliverRoundUseCase } from './deliver-round.usecase';

/**
 * Runs delivery rounds while there is work, then polls. Deliveries and their
 * retry timers live in Postgres, so nothing waits in memory across a restart:
 * a crashed round's leases expire and its deliveries go again.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: PollingLoop;

  constructor(
    round: DeliverRoundUseCase,
    private readonly wakeup: DeliveryWakeup,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.loop = new PollingLoop({
      round: async () => (await round.execute()) > 0,
      intervalMs: 250,
      onError: (err, failures) =>
        logger.warn({ err, failures }, 'delivery round failed; will retry'),
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
