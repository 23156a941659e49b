import { IsOptional, Matches } from 'class-validator';
import { WORKSPACE_ID_PATTERN } from '../envelope/envelope.schema';
import { IntBetween } from '../fields';

/** Bounds of every limit, checked where a limit is set and where it is enforced. */
export const LIMIT_BOUNDS = {
  requests: { min: 1, max: 100_000_000 },
  windowSeconds: { min: 1, max: 86_400 },
  sseStreams: { min: 0, max: 1_000_000 },
} as const;

/**
 * A workspace's own limits (PUT /v1/workspaces/{id}/limits). A field left
 * out or null takes the platform default (the gateway's RATE_LIMIT_* settings).
 */
export class WorkspaceLimitsBody {
  // @IsOptional: absent or null, the field takes the platform default.

  /** Requests one credential (API key, client, session) may make per window. */
  @IsOptional()
  @IntBetween(LIMIT_BOUNDS.requests.min, LIMIT_BOUNDS.requests.max)
  requests_per_key?: number | null;

  /** Requests all credentials of the workspace together may make per window. */
  @IsOptional()
  @IntBetween(LIMIT_BOUNDS.requests.min, LIMIT_BOUNDS.requests.max)
  requests_per_workspace?: number | null;

  /** The window both request limits count over, in seconds. */
  @IsOptional()
  @IntBetween(LIMIT_BOUNDS.windowSeconds.min, LIMIT_BOUNDS.windowSeconds.max)
  window_seconds?: number | null;

  /** Event streams (SSE) the workspace may hold open at once, across every gateway replica. */
  @IsOptional()
  @IntBetween(LIMIT_BOUNDS.sseStreams.min, LIMIT_BOUNDS.sseStreams.max)
  sse_streams?: number | null;
}

export class WorkspaceLimitsQuery {
  @Matches(WORKSPACE_ID_PATTERN, { message: 'workspace_id must be a workspace slug' })
  workspace_id!: string;
}

export class SetWorkspaceLimitsCommand extends WorkspaceLimitsBody {
  @Matches(WORKSPACE_ID_PATTERN, { message: 'workspace_id must be a workspace slug' })
  workspace_id!: string;
}

/** What security-manager stores for a workspace: null where the platform default applies. */
export interface StoredWorkspaceLimits {
  workspace_id: string;
  requests_per_key: number | null;
  requests_per_workspace: number | null;
  window_seconds: number | null;
  sse_streams: number | null;
  updated_at: string | null;
}

/** The limits a gateway enforces for a workspace: its own where set, else the defaults. */
export interface EffectiveLimits {
  requests_per_key: number;
  requests_per_workspace: number;
  window_seconds: number;
  sse_streams: number;
}

export const LIMIT_FIELDS = [
  'requests_per_key',
  'requests_per_workspace',
  'window_seconds',
  'sse_streams',
] as const;

/** The workspace's own values over the defaults. */
export function effectiveLimits(
  stored: Partial<StoredWorkspaceLimits> | undefined,
  defaults: EffectiveLimits,
): EffectiveLimits {
  const limits = { ...defaults };
  for (const field of LIMIT_FIELDS) {
    const value = stored?.[field];
    if (typeof value === 'number') limits[field] = value;
  }
  return limits;
}
