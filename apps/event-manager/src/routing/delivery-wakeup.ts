import { Injectable } from '@nestjs/common';

/**
 * Lets the store (and replays) tell the dispatcher, in this process, that new
 * deliveries were committed, so they go out without waiting for the next poll.
 */
@Injectable()
export class DeliveryWakeup {
  private listener?: () => void;

  listen(listener: () => void): void {
    this.listener = listener;
  }

  wake(): void {
    this.listener?.();
  }
}
