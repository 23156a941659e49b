import { LOGGER } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { ReplayWakeup } from './replay-wakeup';
import { RunReplayUseCase } from './run-replay.usecase';

const POLL_INTERVAL_MS = 500;
/** How long one replay is worked on before the others get a turn. */
const SLICE_MS = 5_000;

/** Picks up running replays (new ones, and those a stopped process left behind). */
@Injectable()
export class ReplayWorker implements OnApplicationBootstrap, OnModuleDestroy {
  private running = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;

  constructor(
    private readonly runReplay: RunReplayUseCase,
    private readonly wakeup: ReplayWakeup,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    this.wakeup.listen(() => this.wakeUp?.());
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
      let worked = false;
      try {
        const until = Date.now() + SLICE_MS;
        worked = await this.runReplay.execute(() => this.running && Date.now() < until);
      } catch (error) {
        this.logger.warn({ err: error }, 'replay step failed; will retry');
      }
      if (worked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, POLL_INTERVAL_MS);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = undefined;
    }
  }
}
