import {
  effectiveLimits,
  MessageTypes,
  Topics,
  type EffectiveLimits,
  type StoredWorkspaceLimits,
} from '@baton/contracts';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { GatewayEnv } from '../gateway.env';
import type { Logger } from 'pino';
import { PlatformClient } from '../platform/platform-client';

interface Entry {
  limits: EffectiveLimits;
  /** False while the first fetch is under way (limits are then only a placeholder). */
  known: boolean;
  expiresAt: number;
  refreshing?: Promise<EffectiveLimits>;
}

/** After a failed fetch the defaults are used this long before security-manager is asked again. */
const RETRY_AFTER_FAILURE_MS = 5_000;

/**
 * Each workspace's limits as security-manager stores them, over the gateway's
 * defaults. A workspace's first request waits for one fetch; after that the
 * limits come from memory and are refreshed in the background when they are
 * older than LIMITS_CACHE_TTL_MS, or at once when a replica says they changed.
 */
@Injectable()
export class WorkspaceLimitsCache {
  readonly defaults: EffectiveLimits;
  private readonly ttlMs: number;
  private readonly entries = new Map<string, Entry>();
  /** When each workspace's limits were last set here, so an older fetch does not undo it. */
  private readonly setAt = new Map<string, number>();
  private clock = 0;

  constructor(
    private readonly platform: PlatformClient,
    env: GatewayEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.defaults = {
      requests_per_key: env.RATE_LIMIT_REQUESTS_PER_KEY,
      requests_per_workspace: env.RATE_LIMIT_REQUESTS_PER_WORKSPACE,
      window_seconds: env.RATE_LIMIT_WINDOW_SECONDS,
      sse_streams: env.SSE_MAX_STREAMS_PER_WORKSPACE,
    };
    this.ttlMs = env.LIMITS_CACHE_TTL_MS;
  }

  async get(workspaceId: string, correlationId: string): Promise<EffectiveLimits> {
    const entry = this.entries.get(workspaceId);
    if (!entry) return this.fetch(workspaceId, correlationId);
    // Not known yet: wait for the fetch under way rather than take the defaults.
    if (!entry.known && entry.refreshing) return entry.refreshing;
    if (Date.now() >= entry.expiresAt && !entry.refreshing) {
      this.fetch(workspaceId, correlationId).catch(() => undefined);
    }
    return entry.limits;
  }

  /** Limits just stored through this replica: used at once. */
  set(stored: StoredWorkspaceLimits): EffectiveLimits {
    const limits = effectiveLimits(stored, this.defaults);
    this.setAt.set(stored.workspace_id, ++this.clock);
    this.entries.set(stored.workspace_id, {
      limits,
      known: true,
      expiresAt: Date.now() + this.ttlMs,
    });
    return limits;
  }

  /** Another replica changed the workspace's limits: fetch them now, use the old ones meanwhile. */
  changed(workspaceId: string): void {
    const entry = this.entries.get(workspaceId);
    if (!entry || entry.refreshing) return;
    entry.expiresAt = 0;
    this.fetch(workspaceId, 'limits-changed').catch(() => undefined);
  }

  private fetch(workspaceId: string, correlationId: string): Promise<EffectiveLimits> {
    const entry = this.entries.get(workspaceId);
    if (entry?.refreshing) return entry.refreshing;
    const startedAt = this.clock;
    const refreshing = this.platform
      .sendAsSystem<StoredWorkspaceLimits>(
        Topics.securityCommands,
        MessageTypes.limitsGet,
        { workspace_id: workspaceId },
        correlationId,
      )
      .then((stored) => {
        const current = this.entries.get(workspaceId);
        if (current && (this.setAt.get(workspaceId) ?? -1) > startedAt) {
          // Set through this replica while the fetch was under way: the fetch may predate it.
          current.refreshing = undefined;
          return current.limits;
        }
        const limits = effectiveLimits(stored, this.defaults);
        this.entries.set(workspaceId, { limits, known: true, expiresAt: Date.now() + this.ttlMs });
        return limits;
      })
      .catch((error: Error) => {
        // Requests go on under the limits last known (the defaults at first), never unlimited.
        const limits = this.entries.get(workspaceId)?.limits ?? this.defaults;
        this.logger.warn(
          { err: { message: error.message }, workspace_id: workspaceId },
          'workspace limits not fetched; using the last known or the defaults',
        );
        this.entries.set(workspaceId, {
          limits,
          known: true,
          expiresAt: Date.now() + RETRY_AFTER_FAILURE_MS,
        });
        return limits;
      });
    if (entry) entry.refreshing = refreshing;
    else {
      this.entries.set(workspaceId, {
        limits: this.defaults,
        known: false,
        expiresAt: 0,
        refreshing,
      });
    }
    return refreshing;
  }
}
