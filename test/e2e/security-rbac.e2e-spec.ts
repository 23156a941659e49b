import {
  AUTHENTICATED,
  PUBLIC,
  ROLES,
  ROUTE_PERMISSIONS,
  rolesAllow,
  Topics,
  type ApiKeyView,
  type IssuedApiKeyView,
  type Page,
  type RotatedApiKeyView,
  type WorkspaceView,
} from '@baton/contracts';
import { createHash, randomBytes } from 'node:crypto';
import { api, eventually, platformState } from './support/platform';
import { startExtraService } from './support/service-control';
import { TopicCollector } from './support/topic-collector';

/**
 * Workspaces, API keys and roles as users meet them: every route of
 * /openapi.json against every role, nothing of one workspace reachable from
 * another, revocation on a second gateway replica, rotation and expiry.
 */
const run = randomBytes(4).toString('hex');
const A = `rbac-a-${run}`;
const B = `rbac-b-${run}`;
const MISSING_ID = '00000000-0000-4000-8000-00000000abcd';

type Role = (typeof ROLES)[number];

async function createWorkspace(id: string): Promise<void> {
  const created = await api<WorkspaceView>('POST', '/v1/workspaces', {
    body: { id, name: `RBAC ${id}` },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ id, status: 'active', deleted_at: null });
}

/** The first admin of a workspace, issued by the platform admin (the bootstrap key). */
async function firstAdmin(workspace: string): Promise<IssuedApiKeyView> {
  const issued = await api<IssuedApiKeyView>('POST', `/v1/workspaces/${workspace}/api-keys`, {
    body: { name: 'first-admin', role: 'admin' },
  });
  expect(issued.status).toBe(201);
  return issued.body;
}

async function issue(
  apiKey: string,
  body: Record<string, unknown>,
  gatewayUrl?: string,
): Promise<IssuedApiKeyView> {
  const issued = await call<IssuedApiKeyView>('POST', '/v1/api-keys', apiKey, body, gatewayUrl);
  if (issued.status !== 201) throw new Error(`key not issued: ${JSON.stringify(issued.body)}`);
  return issued.body;
}

/** One request with a chosen credential and gateway; the body of a stream is not read. */
async function call<T = Record<string, unknown>>(
  method: string,
  path: string,
  apiKey: string | null,
  body?: unknown,
  gatewayUrl = platformState().gatewayUrl,
): Promise<{ status: number; body: T; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (apiKey) headers.authorization = `Bearer ${apiKey}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(gatewayUrl + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(20_000),
  });
  if ((response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await response.body?.cancel();
    return { status: response.status, body: {} as T, headers: response.headers };
  }
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    /* keep text */
  }
  return { status: response.status, body: parsed as T, headers: response.headers };
}

describe('workspaces, API keys and roles', () => {
  const keys = {} as Record<Role, string>;
  let adminA: IssuedApiKeyView;
  let adminB: IssuedApiKeyView;

  beforeAll(async () => {
    await createWorkspace(A);
    await createWorkspace(B);
    adminA = await firstAdmin(A);
    adminB = await firstAdmin(B);
    keys['platform-admin'] = platformState().apiKey;
    keys.admin = adminA.key;
    for (const role of ['developer', 'operator', 'viewer', 'agent'] as const) {
      keys[role] = (await issue(adminA.key, { name: `rbac-${role}`, role })).key;
    }
  }, 120_000);

  it('answers each route for each role as the permission table says, and 401 without a credential', async () => {
    const openapi = await api<{ paths: Record<string, Record<string, unknown>> }>(
      'GET',
      '/openapi.json',
      { apiKey: null },
    );
    expect(openapi.status).toBe(200);
    const routes: { key: string; method: string; path: string }[] = [];
    for (const [path, operations] of Object.entries(openapi.body.paths)) {
      for (const method of Object.keys(operations)) {
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const key = `${method.toUpperCase()} ${path.replace(/\{([^}]+)\}/g, ':$1')}`;
        // A placeholder that names nothing: no route changes anything real.
        const concrete = path.replace(/\{([^}]+)\}/g, (_, name: string) =>
          /id$/i.test(name) ? MISSING_ID : `rbac-missing-${run}`,
        );
        routes.push({ key, method: method.toUpperCase(), path: concrete });
      }
    }
    expect(routes.length).toBeGreaterThan(50);
    const undeclared = routes.filter((route) => ROUTE_PERMISSIONS[route.key] === undefined);
    expect(undeclared.map((route) => route.key)).toEqual([]);

    const mismatches: string[] = [];
    for (const route of routes) {
      const access = ROUTE_PERMISSIONS[route.key];
      // Public routes (token endpoints, SSO, health) may answer 401 about their own input.
      if (access === PUBLIC) continue;
      const body = ['POST', 'PUT', 'PATCH'].includes(route.method) ? {} : undefined;
      const anonymous = await call(route.method, route.path, null, body);
      if (anonymous.status !== 401) {
        mismatches.push(`${route.key} without credential: ${anonymous.status}, expected 401`);
      }
      for (const role of ROLES) {
        const allowed = access === AUTHENTICATED || rolesAllow([role], access);
        const answer = await call(route.method, route.path, keys[role], body);
        const refused = answer.status === 401 || answer.status === 403;
        if (allowed && refused) {
          mismatches.push(`${route.key} as ${role}: ${answer.status}, expected it allowed`);
        }
        if (!allowed && answer.status !== 403) {
          mismatches.push(`${route.key} as ${role}: ${answer.status}, expected 403`);
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 600_000);

  it('lists the roles and their permissions for any credential', async () => {
    const roles = await call<Page<{ name: string; permissions: string[] }>>(
      'GET',
      '/v1/roles',
      keys.agent,
    );
    expect(roles.status).toBe(200);
    expect(roles.body.items.map((role) => role.name)).toEqual([...ROLES]);
    expect(roles.body.items.find((role) => role.name === 'viewer')?.permissions).toContain(
      'runs:read',
    );
  });

  describe('nothing of workspace B is reachable with a key of workspace A (404, not 403)', () => {
    const names = {
      agent: `rbac-agent-${run}`,
      workflow: `rbac-flow-${run}`,
      transform: `rbac-transform-${run}`,
      route: `rbac-route-${run}`,
    };
    const ids = {} as Record<'run' | 'event' | 'subscription' | 'retention' | 'key', string>;

    beforeAll(async () => {
      const b = adminB.key;
      const created = async (path: string, body: unknown) => {
        const answer = await call<Record<string, string>>('POST', path, b, body);
        if (answer.status < 200 || answer.status > 202) {
          throw new Error(`${path} in B: ${answer.status} ${JSON.stringify(answer.body)}`);
        }
        return answer.body;
      };
      await created('/v1/agents', { name: names.agent, type: 'worker' });
      await created('/v1/workflows', {
        workflow: { name: names.workflow, steps: [{ name: 'only', agent: names.agent }] },
      });
      ids.run = (await created(`/v1/workflows/${names.workflow}/runs`, { input: {} })).id;
      ids.event = (
        await created('/v1/events', {
          type: `rbac.secret.${run}`,
          subject: 'b-only',
          data: { b: true },
        })
      ).id;
      ids.subscription = (
        await created('/v1/subscriptions', {
          topic: `e2e.rbac.${run}`,
          events: [`rbac.secret.${run}`],
        })
      ).id;
      await created('/v1/transforms', { name: names.transform, expression: '{ "x": data.b }' });
      await created('/v1/routes', {
        name: names.route,
        position: 10,
        events: [`rbac.secret.${run}`],
        destinations: [{ topic: `e2e.rbac-route.${run}` }],
      });
      ids.retention = (
        await created('/v1/retention-policies', { type: `rbac.secret.${run}`, max_age: '30d' })
      ).id;
      ids.key = (await issue(b, { name: 'b-viewer', role: 'viewer' })).id;
      // The event is stored asynchronously: B itself must see it before A's 404 means anything.
      await eventually(async () =>
        (await call('GET', `/v1/events/${ids.event}`, b)).status === 200 ? true : undefined,
      );
    }, 120_000);

    it('reads nothing of B', async () => {
      const a = adminA.key;
      const reads = [
        `/v1/agents/${names.agent}`,
        `/v1/agents/${names.agent}/versions`,
        `/v1/workflows/${names.workflow}`,
        `/v1/workflows/${names.workflow}/versions`,
        `/v1/runs/${ids.run}`,
        `/v1/events/${ids.event}`,
        `/v1/subscriptions/${ids.subscription}`,
        `/v1/subscriptions/${ids.subscription}/dead-letters`,
        `/v1/transforms/${names.transform}`,
        `/v1/routes/${names.route}`,
      ];
      for (const path of reads) {
        // B sees its own thing, A does not: the 404 is about the workspace, not the path.
        expect([path, (await call('GET', path, adminB.key)).status]).toEqual([path, 200]);
        expect([path, (await call('GET', path, a)).status]).toEqual([path, 404]);
      }
      const lists: [string, string][] = [
        ['/v1/agents', names.agent],
        ['/v1/workflows', names.workflow],
        ['/v1/runs', ids.run],
        [`/v1/events?type=rbac.secret.${run}`, ids.event],
        ['/v1/subscriptions', ids.subscription],
        ['/v1/transforms', names.transform],
        ['/v1/routes', names.route],
        ['/v1/retention-policies', ids.retention],
        ['/v1/api-keys', ids.key],
        ['/v1/audit?limit=200', `rbac.secret.${run}`],
      ];
      for (const [path, needle] of lists) {
        const answer = await call('GET', path, a);
        expect([path, answer.status]).toEqual([path, 200]);
        expect([path, JSON.stringify(answer.body).includes(needle)]).toEqual([path, false]);
      }
    });

    it('changes nothing of B', async () => {
      const a = adminA.key;
      const changes: [string, string, unknown?][] = [
        ['PATCH', `/v1/agents/${names.agent}`, { description: 'taken over' }],
        ['DELETE', `/v1/agents/${names.agent}`],
        ['POST', `/v1/workflows/${names.workflow}/runs`, { input: {} }],
        ['POST', `/v1/runs/${ids.run}/cancel`, {}],
        ['POST', `/v1/subscriptions/${ids.subscription}/pause`, {}],
        ['DELETE', `/v1/subscriptions/${ids.subscription}`],
        ['DELETE', `/v1/routes/${names.route}`],
        ['DELETE', `/v1/retention-policies/${ids.retention}`],
        ['DELETE', `/v1/api-keys/${ids.key}`],
        ['POST', `/v1/api-keys/${ids.key}/rotate`, { grace_seconds: 0 }],
      ];
      for (const [method, path, body] of changes) {
        const answer = await call(method, path, a, body);
        expect([method, path, answer.status]).toEqual([method, path, 404]);
      }
      // All still there, untouched, for B.
      expect((await call('GET', `/v1/agents/${names.agent}`, adminB.key)).status).toBe(200);
      expect((await call('GET', `/v1/routes/${names.route}`, adminB.key)).status).toBe(200);
      const bKeys = await call<Page<ApiKeyView>>('GET', '/v1/api-keys', adminB.key);
      expect(bKeys.body.items.find((key) => key.id === ids.key)?.status).toBe('active');
    });
  });

  describe('API keys', () => {
    it('answers a key once, lists only its prefix, and refuses more than the creator holds', async () => {
      const issued = await call<IssuedApiKeyView>('POST', '/v1/api-keys', adminA.key, {
        name: 'colleague',
        role: 'viewer',
      });
      expect(issued.status).toBe(201);
      expect(issued.headers.get('cache-control')).toBe('no-store');
      expect(issued.body.key).toMatch(/^bk_[A-Za-z0-9_-]{43}$/);
      expect(issued.body).toMatchObject({ role: 'viewer', status: 'active', name: 'colleague' });
      expect(issued.body.key.startsWith(issued.body.prefix)).toBe(true);

      const listed = await call<Page<ApiKeyView>>('GET', '/v1/api-keys', adminA.key);
      const text = JSON.stringify(listed.body);
      expect(text).not.toContain(issued.body.key);
      expect(text).not.toContain(createHash('sha256').update(issued.body.key).digest('hex'));
      expect(listed.body.items.find((key) => key.id === issued.body.id)).toMatchObject({
        prefix: issued.body.prefix,
        created_by: 'apikey:first-admin',
      });

      const escalate = await call('POST', '/v1/api-keys', adminA.key, {
        name: 'root',
        role: 'platform-admin',
      });
      expect(escalate.status).toBe(403);
      const scopedAdmin = await issue(adminA.key, {
        name: 'key-desk',
        role: 'admin',
        scopes: ['api-keys:manage', 'runs:read'],
      });
      const wider = await call<{ detail: string }>('POST', '/v1/api-keys', scopedAdmin.key, {
        name: 'wider',
        role: 'viewer',
      });
      expect(wider.status).toBe(403);
      expect(wider.body.detail).toMatch(/cannot grant more than its creator holds/);
      const narrow = await call('POST', '/v1/api-keys', scopedAdmin.key, {
        name: 'narrow',
        role: 'viewer',
        scopes: ['runs:read'],
      });
      expect(narrow.status).toBe(201);
      // A scoped key is held to its scopes by the gateway.
      expect((await call('GET', '/v1/agents', scopedAdmin.key)).status).toBe(403);
      expect((await call('GET', '/v1/runs', scopedAdmin.key)).status).toBe(200);

      const unknown = await call<{ errors: { field: string }[] }>(
        'POST',
        '/v1/api-keys',
        adminA.key,
        { name: 'x', role: 'superuser' },
      );
      expect(unknown.status).toBe(422);
      expect(unknown.body.errors[0].field).toBe('role');
      const past = await call<{ errors: { field: string }[] }>('POST', '/v1/api-keys', adminA.key, {
        name: 'x',
        role: 'viewer',
        expires_at: '2001-01-01T00:00:00Z',
      });
      expect(past.status).toBe(422);
      expect(past.body.errors[0].field).toBe('expires_at');
    });

    it('never puts the key itself on Kafka: the gateway asks with its SHA-256', async () => {
      const commands = await new TopicCollector(Topics.securityCommands, { from: 'now' }).start();
      try {
        const issued = await issue(adminA.key, { name: 'kafka-probe', role: 'viewer' });
        expect((await call('GET', '/v1/agents', issued.key)).status).toBe(200);
        const digest = createHash('sha256').update(issued.key).digest('hex');
        await eventually(async () =>
          commands.messages.some((message) => message.value.includes(digest)) ? true : undefined,
        );
        expect(commands.messages.some((message) => message.value.includes(issued.key))).toBe(false);
      } finally {
        await commands.stop();
      }
    });

    it('refuses an expired key with 401 naming its expiry', async () => {
      const expiresAt = new Date(Date.now() + 3_000).toISOString();
      const issued = await issue(adminA.key, {
        name: 'short-lived',
        role: 'viewer',
        expires_at: expiresAt,
      });
      expect((await call('GET', '/v1/agents', issued.key)).status).toBe(200);
      const refused = await eventually(async () => {
        const answer = await call<{ detail: string }>('GET', '/v1/agents', issued.key);
        return answer.status === 401 ? answer : undefined;
      });
      expect(refused.body.detail).toMatch(/expired at/);
    });

    it('rotates: the successor works, the old key works through its grace, then not', async () => {
      const old = await issue(adminA.key, { name: 'rotating', role: 'viewer' });
      const rotated = await call<RotatedApiKeyView>(
        'POST',
        `/v1/api-keys/${old.id}/rotate`,
        adminA.key,
        { grace_seconds: 3600 },
      );
      expect(rotated.status).toBe(201);
      expect(rotated.body.previous).toMatchObject({ id: old.id, replaced_by: rotated.body.key.id });
      expect(rotated.body.key).toMatchObject({ name: 'rotating', role: 'viewer' });
      const successor = rotated.body.key;
      expect((await call('GET', '/v1/agents', successor.key)).status).toBe(200);
      expect((await call('GET', '/v1/agents', old.key)).status).toBe(200);
      // A rotated key is rotated once: its successor is the one to rotate next.
      const again = await call('POST', `/v1/api-keys/${old.id}/rotate`, adminA.key, {
        grace_seconds: 60,
      });
      expect(again.status).toBe(409);

      // A short grace: the old key stops when it ends, naming why.
      const next = await call<RotatedApiKeyView>(
        'POST',
        `/v1/api-keys/${successor.id}/rotate`,
        adminA.key,
        { grace_seconds: 2 },
      );
      expect(next.status).toBe(201);
      expect((await call('GET', '/v1/agents', next.body.key.key)).status).toBe(200);
      const ended = await eventually(async () => {
        const answer = await call<{ detail: string }>('GET', '/v1/agents', successor.key);
        return answer.status === 401 ? answer : undefined;
      });
      expect(ended.body.detail).toMatch(/rotated and its grace period is over/);
      expect((await call('GET', '/v1/agents', next.body.key.key)).status).toBe(200);

      // Grace 0: the old key is revoked at once.
      const now = await call<RotatedApiKeyView>(
        'POST',
        `/v1/api-keys/${next.body.key.id}/rotate`,
        adminA.key,
        { grace_seconds: 0 },
      );
      expect(now.status).toBe(201);
      expect(now.body.previous.status).toBe('revoked');
      expect((await call('GET', '/v1/agents', next.body.key.key)).status).toBe(401);
      expect((await call('GET', '/v1/agents', now.body.key.key)).status).toBe(200);
    });
  });

  describe('on a second gateway replica that caches keys for ten minutes', () => {
    let replica: Awaited<ReturnType<typeof startExtraService>>;

    beforeAll(async () => {
      replica = await startExtraService('gateway', 50, { env: { AUTH_CACHE_TTL_MS: '600000' } });
    }, 180_000);

    afterAll(async () => {
      await replica?.stop();
    });

    it('a revoked key is refused as soon as the revocation arrives, not when the cache expires', async () => {
      const issued = await issue(adminA.key, { name: 'to-revoke', role: 'viewer' });
      expect((await call('GET', '/v1/agents', issued.key, undefined, replica.url)).status).toBe(
        200,
      );
      expect((await call('DELETE', `/v1/api-keys/${issued.id}`, adminA.key)).status).toBe(204);
      // On the gateway that revoked it, at once.
      expect((await call('GET', '/v1/agents', issued.key)).status).toBe(401);
      // On the replica, whose cache would trust it for ten more minutes, by the broadcast.
      const refused = await eventually(async () => {
        const answer = await call<{ detail: string }>(
          'GET',
          '/v1/agents',
          issued.key,
          undefined,
          replica.url,
        );
        return answer.status === 401 ? answer : undefined;
      }, 20_000);
      expect(refused.body.detail).toMatch(/revoked/);
      // Revoking twice is no error; listing shows it revoked.
      expect((await call('DELETE', `/v1/api-keys/${issued.id}`, adminA.key)).status).toBe(204);
      const listed = await call<Page<ApiKeyView>>('GET', '/v1/api-keys', adminA.key);
      expect(listed.body.items.find((key) => key.id === issued.id)?.status).toBe('revoked');
    });

    it('a deleted workspace: its keys stop everywhere, its record stays until purged, its id is never reused', async () => {
      const doomed = `rbac-del-${run}`;
      await createWorkspace(doomed);
      const admin = await firstAdmin(doomed);
      expect((await call('GET', '/v1/agents', admin.key, undefined, replica.url)).status).toBe(200);
      // Only the platform admin deletes workspaces.
      expect((await call('DELETE', `/v1/workspaces/${doomed}`, admin.key)).status).toBe(403);
      const deleted = await api<WorkspaceView>('DELETE', `/v1/workspaces/${doomed}`);
      expect(deleted.status).toBe(200);
      expect(deleted.body.status).toBe('deleted');
      const refused = await eventually(async () => {
        const answer = await call<{ detail: string }>(
          'GET',
          '/v1/agents',
          admin.key,
          undefined,
          replica.url,
        );
        return answer.status === 401 ? answer : undefined;
      }, 20_000);
      expect(refused.body.detail).toMatch(/workspace .* deleted/);
      expect((await api<WorkspaceView>('GET', `/v1/workspaces/${doomed}`)).body.status).toBe(
        'deleted',
      );
      // No key can be issued in it, and it cannot be renamed.
      expect(
        (
          await api('POST', `/v1/workspaces/${doomed}/api-keys`, {
            body: { name: 'late', role: 'admin' },
          })
        ).status,
      ).toBe(409);

      const purged = await api<WorkspaceView>('POST', `/v1/workspaces/${doomed}/purge`);
      expect(purged.status).toBe(200);
      expect(purged.body.status).toBe('purged');
      expect((await api('POST', `/v1/workspaces/${doomed}/purge`)).status).toBe(200);
      const again = await api('POST', '/v1/workspaces', { body: { id: doomed, name: 'again' } });
      expect(again.status).toBe(409);
      // The purge is in the platform admin's audit trail.
      const audit = await api<Page<{ action: string; resource: string }>>(
        'GET',
        '/v1/audit?action=workspace.purge&limit=50',
      );
      expect(audit.body.items.some((entry) => entry.resource === `workspaces/${doomed}`)).toBe(
        true,
      );
    });
  });

  describe('workspaces', () => {
    it('are created, listed, renamed and refused for bad ids', async () => {
      const listed = await api<Page<WorkspaceView>>('GET', '/v1/workspaces?limit=200');
      expect(listed.body.items.map((w) => w.id)).toEqual(expect.arrayContaining(['default', A, B]));
      const renamed = await api<WorkspaceView>('PATCH', `/v1/workspaces/${A}`, {
        body: { name: 'Renamed' },
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body.name).toBe('Renamed');
      for (const id of ['Has Caps', 'system', 'a', '-x']) {
        const bad = await api<{ errors: { field: string }[] }>('POST', '/v1/workspaces', {
          body: { id, name: 'bad' },
        });
        expect([id, bad.status, bad.body.errors[0].field]).toEqual([id, 422, 'id']);
      }
      expect((await api('POST', '/v1/workspaces', { body: { id: A, name: 'dup' } })).status).toBe(
        409,
      );
      // The platform admin cannot delete its own workspace (it would lock itself out).
      expect((await api('DELETE', '/v1/workspaces/default')).status).toBe(409);
      expect((await api('GET', `/v1/workspaces/nope-${run}`)).status).toBe(404);
    });
  });
});
