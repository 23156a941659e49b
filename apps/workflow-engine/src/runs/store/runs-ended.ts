import type { PollerWakeup } from '@baton/database';
import { Injectable } from '@nestjs/common';

/**
 * Told after each commit that ended runs (completed, failed, cancelled): a
 * workspace's ended runs free room for its queued ones (ADR 0041), so the
 * admission poller listens here instead of waiting for its next round.
 */
@Injectable()
export class RunsEnded implements PollerWakeup {
  private readonly listeners: (() => void)[] = [];

  listen(listener: () => void): void {
    this.listeners.push(listener);
  }

  notify(): void {
    for (const listener of this.listeners) listener();
  }
}
