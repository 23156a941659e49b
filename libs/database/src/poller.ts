import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { PollingLoop, type PollingLoopOptions } from './polling-loop';

/** Something in the same process that announces new work (a commit that queued deliveries). */
export interface PollerWakeup {
  listen(listener: () => void): void;
}

/**
 * The plain PollerWakeup: what commits new work calls `wake()`, and the one
 * poller of that work listening starts its next round. A service declares a
 * subclass per kind of work (`class DeliveryWakeup extends Wakeup {}`), so
 * each is its own injectable.
 */
export class Wakeup implements PollerWakeup {
  private listener?: () => void;

  listen(listener: () => void): void {
    this.listener = listener;
  }

  wake(): void {
    this.listener?.();
  }
}

export interface PollerOptions extends PollingLoopOptions {
  /** Starts the next round at once when it announces work, instead of after the pause. */
  wakeup?: PollerWakeup;
}

/**
 * The one shape of a service's background poller: a PollingLoop that starts
 * once the application is up and stops (finishing its round) when it shuts
 * down. A poller extends this and passes its round, interval and error log
 * (and the wake-up of work announced in-process, if it has one).
 */
export abstract class Poller implements OnApplicationBootstrap, OnModuleDestroy {
  protected readonly loop: PollingLoop;
  private readonly wakeup?: PollerWakeup;

  protected constructor({ wakeup, ...options }: PollerOptions) {
    this.loop = new PollingLoop(options);
    this.wakeup = wakeup;
  }

  onApplicationBootstrap(): void {
    this.wakeup?.listen(() => this.loop.wake());
    this.loop.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.loop.stop();
  }
}
