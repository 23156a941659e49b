import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { FireTimersUseCase } from './fire-timers.usecase';

const POLL_INTERVAL_MS = 200;

/** Polls Postgres for due timers; timers live in the database, so they survive restarts. */
@Injectable()
export class TimersPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly fireTimers: FireTimersUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        await this.fireTimers.execute();
      } catch (error) {
        this.logger.warn({ err: error }, 'firing timers failed; will retry');
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
}
