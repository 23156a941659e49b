import { DomainError, ErrorCodes, type StoredWorkspaceLimits } from '@baton/contracts';
import type { GatewayEnv } from '../gateway.env';
import type { Logger } from 'pino';
import type { PlatformClient } from '../platform/platform-client';
import { WorkspaceLimitsCache } from './workspace-limits.cache';

const SETTINGS: Record<string, number> = {
  RATE_LIMIT_REQUESTS_PER_KEY: 100,
  RATE_LIMIT_REQUESTS_PER_WORKSPACE: 500,
  RATE_LIMIT_WINDOW_SECONDS: 60,
  SSE_MAX_STREAMS_PER_WORKSPACE: 10,
  LIMITS_CACHE_TTL_MS: 60_000,
};

const stored = (overrides: Partial<StoredWorkspaceLimits>): StoredWorkspaceLimits => ({
  workspace_id: 'acme',
  requests_per_key: null,
  requests_per_workspace: null,
  window_seconds: null,
  sse_streams: null,
  updated_at: null,
  ...overrides,
});

function cacheWith(answer: () => Promise<StoredWorkspaceLimits>) {
  const asked: string[] = [];
  const platform = {
    sendAsSystem: (_topic: string, _type: string, data: { workspace_id: string }) => {
      asked.push(data.workspace_id);
      return answer();
    },
  } as unknown as PlatformClient;
  const config = SETTINGS as unknown as GatewayEnv;
  const logger = { warn: () => undefined } as unknown as Logger;
  return { cache: new WorkspaceLimitsCache(platform, config, logger), asked };
}

describe('WorkspaceLimitsCache', () => {
  it("fetches a workspace's limits once, over the defaults, then answers from memory", async () => {
    const { cache, asked } = cacheWith(async () => stored({ requests_per_key: 7 }));
    const [first, second] = await Promise.all([cache.get('acme', 'c1'), cache.get('acme', 'c2')]);
    expect(first).toEqual({
      requests_per_key: 7,
      requests_per_workspace: 500,
      window_seconds: 60,
      sse_streams: 10,
    });
    expect(second).toEqual(first);
    await cache.get('acme', 'c3');
    expect(asked).toEqual(['acme']);
  });

  it('uses the defaults when security-manager does not answer, never no limit', async () => {
    const { cache } = cacheWith(async () => {
      throw new DomainError(ErrorCodes.timeout, 'no answer');
    });
    expect(await cache.get('acme', 'c1')).toEqual(cache.defaults);
  });

  it('applies limits set through this replica at once, and refetches when told they changed', async () => {
    let current = stored({ sse_streams: 2 });
    const { cache, asked } = cacheWith(async () => current);
    expect((await cache.get('acme', 'c1')).sse_streams).toBe(2);
    expect(cache.set(stored({ sse_streams: 3 })).sse_streams).toBe(3);
    expect((await cache.get('acme', 'c2')).sse_streams).toBe(3);
    current = stored({ sse_streams: 4 });
    cache.changed('acme');
    await new Promise((resolve) => setImmediate(resolve));
    expect((await cache.get('acme', 'c3')).sse_streams).toBe(4);
    expect(asked).toEqual(['acme', 'acme']);
  });

  it('keeps limits set here over a fetch that began before', async () => {
    let release: (value: StoredWorkspaceLimits) => void = () => undefined;
    const { cache } = cacheWith(
      () => new Promise<StoredWorkspaceLimits>((resolve) => (release = resolve)),
    );
    const first = cache.get('acme', 'c1');
    cache.set(stored({ requests_per_key: 9 }));
    release(stored({ requests_per_key: 1 }));
    expect((await first).requests_per_key).toBe(9);
    expect((await cache.get('acme', 'c2')).requests_per_key).toBe(9);
  });
});
