import { RateLimitedError } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/caller';
import { countRefusal } from './rate-limit.interceptor';
import { UsageBroadcast } from './usage-broadcast';
import { WorkspaceLimitsCache } from './workspace-limits.cache';

/** Seconds a client refused a stream should wait: about when other replicas' closes are heard. */
const STREAM_RETRY_AFTER_SECONDS = 5;

/** The per-workspace cap on open event streams, over every gateway replica. */
@Injectable()
export class StreamSlots {
  constructor(
    private readonly usage: UsageBroadcast,
    private readonly limits: WorkspaceLimitsCache,
  ) {}

  /** Takes a slot for the caller's workspace, or throws a 429; call the answer to give it back. */
  async open(caller: Caller): Promise<() => void> {
    const { sse_streams: cap } = await this.limits.get(caller.workspaceId, caller.correlationId);
    if (!this.usage.ledger.openStream(caller.workspaceId, cap, Date.now())) {
      countRefusal('sse_streams');
      throw new RateLimitedError(
        `this workspace already holds its ${cap} open event streams; close one or retry later`,
        STREAM_RETRY_AFTER_SECONDS,
        'sse_streams',
      );
    }
    let open = true;
    return () => {
      if (!open) return;
      open = false;
      this.usage.ledger.closeStream(caller.workspaceId);
    };
  }
}
