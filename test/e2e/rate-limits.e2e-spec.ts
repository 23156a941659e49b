import { OrchestratePlatform } from '@baton/sdk';
import { randomBytes } from 'node:crypto';
import { METRICS_PORT_OFFSET } from '../../libs/service-kit/src/metrics-access';
import { eventually, platformState } from './support/platform';
import { startExtraService } from './support/service-control';
import { platformAdminKey as issuePlatformAdminKey, workspaceWithKeys } from './support/workspaces';

/**
 * Rate limits and the stream cap across two gateway replicas: the suite's
 * gateway (A) and a second one started here (B), which share counts over
 * baton.gateway.usage. Each part uses a workspace of its own, so the low
 * limits set here touch no other spec.
 */

const METRICS_TOKEN = `e2e-metrics-${randomBytes(12).toString('hex')}`;
const REPLICA_B_OFFSET = 70;

interface Reply {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
}

async function call(
  baseUrl: string,
  method: string,
  path: string,
  key: string | undefined,
  body?: unknown,
): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(baseUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : {};
  } catch {
    /* keep text */
  }
  return { status: response.status, headers: response.headers, body: parsed as Reply['body'] };
}

interface OwnLimits {
  effective: {
    requests_per_key: number;
    requests_per_workspace: number;
    window_seconds: number;
    sse_streams: number;
  };
  usage: {
    key_requests: number;
    workspace_requests: number;
    sse_streams: number;
    window_resets_in_seconds: number;
  };
}

/** GET /v1/limits: this replica's view; not itself counted. */
async function ownLimits(baseUrl: string, key: string): Promise<OwnLimits> {
  const reply = await call(baseUrl, 'GET', '/v1/limits', key);
  expect(reply.status).toBe(200);
  return reply.body as unknown as OwnLimits;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('rate limits and stream caps across gateway replicas', () => {
  let replicaB: Awaited<ReturnType<typeof startExtraService>>;
  let urlA: string;
  let urlB: string;
  let platformAdminKey: string;

  /** A workspace with admin keys, made through the API by the platform admin. */
  function newWorkspace(keys: number): Promise<{ id: string; keys: string[] }> {
    return workspaceWithKeys('rl', keys);
  }

  async function setLimits(workspaceId: string, limits: Record<string, number>): Promise<void> {
    const reply = await call(
      urlA,
      'PUT',
      `/v1/workspaces/${workspaceId}/limits`,
      platformAdminKey,
      limits,
    );
    expect(reply.status).toBe(200);
  }

  /** Waits out the end of the current window if it is near, so a count is not cut in two. */
  async function notNearWindowEnd(key: string): Promise<void> {
    const { usage } = await ownLimits(urlA, key);
    if (usage.window_resets_in_seconds < 120)
      await sleep((usage.window_resets_in_seconds + 1) * 1000);
  }

  beforeAll(async () => {
    platformAdminKey = await issuePlatformAdminKey();
    urlA = platformState().gatewayUrl;
    replicaB = await startExtraService('gateway', REPLICA_B_OFFSET, {
      env: { METRICS_TOKEN },
    });
    urlB = replicaB.url;
  }, 150_000);

  afterAll(async () => {
    await replicaB?.stop();
  });

  describe('workspace limits through the API', () => {
    it('lets a platform admin set them, refuses others, checks values and names the workspace', async () => {
      const ws = await newWorkspace(1);
      const [admin] = ws.keys;
      const before = await ownLimits(urlB, admin); // B now holds the defaults for this workspace
      expect(before.effective.requests_per_key).toBe(100_000_000);

      const refused = await call(urlA, 'PUT', `/v1/workspaces/${ws.id}/limits`, admin, {
        requests_per_key: 5,
      });
      expect(refused.status).toBe(403);

      const invalid = await call(urlA, 'PUT', `/v1/workspaces/${ws.id}/limits`, platformAdminKey, {
        requests_per_key: 0,
        window_seconds: 'often',
      });
      expect(invalid.status).toBe(422);
      expect(invalid.headers.get('content-type')).toContain('application/problem+json');
      const fields = [
        ...new Set((invalid.body.errors as { field: string }[]).map((e) => e.field)),
      ].sort();
      expect(fields).toEqual(['requests_per_key', 'window_seconds']);

      const missing = await call(
        urlA,
        'PUT',
        '/v1/workspaces/no-such-workspace/limits',
        platformAdminKey,
        {
          requests_per_key: 5,
        },
      );
      expect(missing.status).toBe(404);

      const set = await call(urlA, 'PUT', `/v1/workspaces/${ws.id}/limits`, platformAdminKey, {
        requests_per_key: 5,
        sse_streams: 3,
      });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({
        workspace_id: ws.id,
        requests_per_key: 5,
        requests_per_workspace: null,
        window_seconds: null,
        sse_streams: 3,
        effective: { requests_per_key: 5, requests_per_workspace: 100_000_000, sse_streams: 3 },
      });
      const read = await call(urlA, 'GET', `/v1/workspaces/${ws.id}/limits`, platformAdminKey);
      expect(read.body).toMatchObject({ requests_per_key: 5, sse_streams: 3 });
      expect((await ownLimits(urlA, admin)).effective.requests_per_key).toBe(5);
      // B had the old limits cached; A's broadcast tells it they changed.
      await eventually(
        async () =>
          (await ownLimits(urlB, admin)).effective.requests_per_key === 5 ? true : undefined,
        20_000,
        'replica B to apply the new limit',
      );

      const reset = await call(urlA, 'DELETE', `/v1/workspaces/${ws.id}/limits`, platformAdminKey);
      expect(reset.body).toMatchObject({
        requests_per_key: null,
        effective: { requests_per_key: 100_000_000 },
      });

      expect((await ownLimits(urlA, admin)).effective.requests_per_key).toBe(100_000_000);
    });
  });

  describe('request limits', () => {
    it('holds one key’s limit over both replicas, then the workspace’s, with Retry-After', async () => {
      const ws = await newWorkspace(2);
      const [first, second] = ws.keys;
      const PER_KEY = 30;
      const PER_WORKSPACE = 45;
      await setLimits(ws.id, {
        requests_per_key: PER_KEY,
        requests_per_workspace: PER_WORKSPACE,
        window_seconds: 3600,
      });
      await notNearWindowEnd(first);
      let accepted = 0;

      // 20 requests through A.
      for (let i = 0; i < 20; i++) {
        const reply = await call(urlA, 'GET', '/v1/workflows', first);
        expect(reply.status).toBe(200);
        expect(Number(reply.headers.get('ratelimit-remaining'))).toBe(PER_KEY - 1 - i);
        accepted++;
      }
      // B hears of them (its view, read without being counted)…
      await eventually(
        async () =>
          (await ownLimits(urlB, first)).usage.key_requests === accepted ? true : undefined,
        20_000,
        'replica B to count the requests A let through',
      );
      // …so B lets through only what is left of the key's limit.
      let refusal: Reply | undefined;
      for (let i = 0; i < PER_KEY; i++) {
        const reply = await call(urlB, 'GET', '/v1/workflows', first);
        if (reply.status === 429) {
          refusal = reply;
          break;
        }
        expect(reply.status).toBe(200);
        accepted++;
      }
      expect(accepted).toBe(PER_KEY);
      expect(refusal).toBeDefined();
      expect(refusal!.headers.get('content-type')).toContain('application/problem+json');
      const retryAfter = Number(refusal!.headers.get('retry-after'));
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(3600);
      expect(refusal!.body).toMatchObject({
        status: 429,
        code: 'REQUEST.RATE_LIMITED',
        errors: [{ field: 'requests_per_key' }],
      });

      // A hears of B's and refuses the key too; nothing more was let through.
      await eventually(
        async () =>
          (await ownLimits(urlA, first)).usage.key_requests === PER_KEY ? true : undefined,
        20_000,
        'replica A to count the requests B let through',
      );
      const onA = await call(urlA, 'GET', '/v1/workflows', first);
      expect(onA.status).toBe(429);
      expect(onA.headers.get('retry-after')).not.toBeNull();

      // The workspace: the second key may use what is left of the workspace's 45.
      const used = (await ownLimits(urlA, second)).usage.workspace_requests;
      expect(used).toBe(PER_KEY);
      let secondAccepted = 0;
      for (let i = 0; i < PER_WORKSPACE; i++) {
        const reply = await call(urlA, 'GET', '/v1/workflows', second);
        if (reply.status === 429) {
          expect(reply.body).toMatchObject({ errors: [{ field: 'requests_per_workspace' }] });
          expect(reply.headers.get('retry-after')).not.toBeNull();
          break;
        }
        expect(reply.status).toBe(200);
        secondAccepted++;
      }
      expect(used + secondAccepted).toBe(PER_WORKSPACE);
      await eventually(
        async () =>
          (await call(urlB, 'GET', '/v1/workflows', second)).status === 429 ? true : undefined,
        20_000,
        'replica B to refuse the full workspace',
      );

      // A platform admin can always lift a limit that locked a workspace out.
      await setLimits(ws.id, {
        requests_per_key: PER_KEY * 10,
        requests_per_workspace: PER_WORKSPACE * 10,
      });
      expect((await call(urlA, 'GET', '/v1/workflows', first)).status).toBe(200);
    }, 240_000);
  });

  describe('event streams', () => {
    it('caps a workspace’s open streams over both replicas and frees a slot when one closes', async () => {
      const ws = await newWorkspace(1);
      const [key] = ws.keys;
      await setLimits(ws.id, { sse_streams: 2 });
      const orchestrate = new OrchestratePlatform({
        apiKey: key,
        endpoint: urlA,
        workspaceId: ws.id,
      });
      await orchestrate.createWorkflow(`
workflow:
  name: rl-parked
  steps:
    - name: park
      wait_for_event:
        type: rl.never
        correlation: \${input.id}
        timeout: 10m
`);
      const run = await orchestrate.startRun('rl-parked', { id: ws.id });
      const streams: AbortController[] = [];
      const open = async (baseUrl: string) => {
        const abort = new AbortController();
        const response = await fetch(`${baseUrl}/v1/runs/${run.id}/events`, {
          headers: { authorization: `Bearer ${key}` },
          signal: abort.signal,
        });
        if (response.status === 200) {
          streams.push(abort);
          return { status: 200, headers: response.headers, body: undefined };
        }
        return { status: response.status, headers: response.headers, body: await response.json() };
      };
      try {
        expect((await open(urlA)).status).toBe(200);
        expect((await open(urlB)).status).toBe(200);
        for (const url of [urlA, urlB]) {
          await eventually(
            async () => ((await ownLimits(url, key)).usage.sse_streams === 2 ? true : undefined),
            20_000,
            'both replicas to know of both streams',
          );
        }
        for (const url of [urlA, urlB]) {
          const third = await open(url);
          expect(third.status).toBe(429);
          expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
          expect(third.body).toMatchObject({ errors: [{ field: 'sse_streams' }] });
        }
        // The stream on A closes; B hears of it and takes a new one.
        streams.shift()!.abort();
        await eventually(
          async () => ((await ownLimits(urlB, key)).usage.sse_streams === 1 ? true : undefined),
          20_000,
          'replica B to hear that the stream on A closed',
        );
        expect((await open(urlB)).status).toBe(200);
      } finally {
        for (const stream of streams) stream.abort();
      }
    }, 120_000);
  });

  describe('what callers without a credential see', () => {
    it('serves /metrics on the metrics port only, or with the bearer token', async () => {
      // The suite's gateway has no METRICS_TOKEN: no metrics on the API port at all.
      const portA = platformState().services.find((s) => s.name === 'gateway')!.port;
      expect((await fetch(`${urlA}/metrics`)).status).toBe(404);
      expect((await fetch(`http://127.0.0.1:${portA + METRICS_PORT_OFFSET}/metrics`)).status).toBe(
        200,
      );

      // Replica B has a METRICS_TOKEN: required on both ports.
      const portB = Number(new URL(urlB).port);
      const metricsB = `http://127.0.0.1:${portB + METRICS_PORT_OFFSET}/metrics`;
      expect((await fetch(`${urlB}/metrics`)).status).toBe(401);
      expect((await fetch(metricsB)).status).toBe(401);
      expect(
        (await fetch(metricsB, { headers: { authorization: 'Bearer not-the-token-at-all' } }))
          .status,
      ).toBe(401);
      const main = await fetch(`${urlB}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(main.status).toBe(200);
      const text = await (
        await fetch(metricsB, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })
      ).text();
      expect(text).toContain('baton_gateway_rate_limited_total{limit="requests_per_key"');
      // Labels name limits, never a workspace or a key.
      expect(text).not.toMatch(/rl-[0-9a-f]{8}/);
      expect(text).not.toContain('bk_');
    });

    it('answers /health/ready with up or down per check and no error text', async () => {
      const reply = await call(urlA, 'GET', '/health/ready', undefined);
      expect(reply.status).toBe(200);
      expect(reply.body.status).toBe('ok');
      for (const section of ['info', 'details']) {
        for (const value of Object.values(reply.body[section] as Record<string, unknown>)) {
          expect(value).toEqual({ status: 'up' });
        }
      }
    });
  });
});
