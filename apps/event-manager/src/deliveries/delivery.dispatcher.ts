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

const POLL_INTERVAL_MS = 250;

/**
 * Runs delivery rounds while there is work, then polls. Deliveries and their
 * retry timers live in Postgres, so nothing waits in memory across a restart:
 * a crashed round's leases expire and its deliveries go again.
 */
@Injectable()
export class DeliveryDispatcher implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private pendingWake = false;

  constructor(
    private readonly round: DeliverRoundUseCase,
    private readonly wakeup: DeliveryWakeup,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.wakeup.listen(() => {
      this.pendingWake = true;
      this.wakeUp?.();
    });
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      this.pendingWake = false;
      let claimed = 0;
      try {
        claimed = await this.round.execute();
        failures = 0;
      } catch (error) {
        failures++;
        this.logger.warn({ err: error, failures }, 'delivery round failed; will retry');
      }
      if (claimed > 0 || this.pendingWake) continue;
      const delay = failures > 0 ? Math.min(100 * 2 ** failures, 5_000) : POLL_INTERVAL_MS;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, delay);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
