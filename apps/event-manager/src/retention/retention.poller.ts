import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { Logger } from 'pino';
import { EnforceRetentionUseCase } from './enforce-retention.usecase';

/** Enforces retention in the background, every EVENT_RETENTION_INTERVAL_MS. */
@Injectable()
export class RetentionPoller implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private readonly intervalMs: number;

  constructor(
    private readonly enforce: EnforceRetentionUseCase,
    @Inject(LOGGER) private readonly logger: Logger,
    config: ConfigService,
  ) {
    this.intervalMs = config.get<number>('EVENT_RETENTION_INTERVAL_MS') ?? 60_000;
  }

  onApplicationBootstrap(): void {
    this.running = true;
    this.loop = this.run();
  }

  async onModuleDestroy(): Promise<void> {
    this.running = false;
    this.wakeUp?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (this.running) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.intervalMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
      try {
        const deleted = await this.enforce.execute(() => this.running);
        if (deleted > 0) this.logger.info({ deleted }, 'retention deleted expired events');
      } catch (error) {
        this.logger.warn({ err: error }, 'enforcing retention failed; will retry');
      }
    }
  }
}
