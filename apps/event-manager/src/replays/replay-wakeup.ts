import { Injectable } from '@nestjs/common';

/** Starts a new replay in this process at once instead of at the next poll. */
@Injectable()
export class ReplayWakeup {
  private listener?: () => void;

  listen(listener: () => void): void {
    this.listener = listener;
  }

  wake(): void {
    this.listener?.();
  }
}
