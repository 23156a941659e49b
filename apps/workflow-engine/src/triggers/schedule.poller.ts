import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { FireSchedulesUseCase } from './fire-schedules.usecase';

/** Sub-second, so that a six-field (seconds) cron fires close to its time. */
const POLL_INTERVAL_MS = 250;

/** Polls Postgres for due schedules; they live in the database, so they survive restarts. */
@Injectable()
export class SchedulePoller implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;

  constructor(
    private readonly fireSchedules: FireSchedulesUseCase,
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
        await this.fireSchedules.execute();
      } catch (error) {
        this.logger.warn({ err: error }, 'firing schedules failed; will retry');
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MS));
    }
  }
}
