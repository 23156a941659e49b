import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PollingLoop, type PollingLoopOptions } from './polling-loop';

/**
 * The one shape of a service's background poller: a PollingLoop that starts
 * once the application is up and stops (finishing its round) when it shuts
 * down. A poller extends this and passes its round, interval and error log.
 */
export abstract class Poller implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly loop: PollingLoop;

  protected constructor(options: PollingLoopOptions) {
    this.loop = new PollingLoop(options);
  }

  onApplicationBootstrap(): void {
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
