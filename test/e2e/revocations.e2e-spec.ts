import { randomBytes } from 'node:crypto';
import { METRICS_PORT_OFFSET } from '../../libs/service-kit/src/metrics-access';
import { api, eventually, platformState } from './support/platform';
import { startExtraService } from './support/service-control';
import { bootstrapKey, workspaceWithKeys } from './support/workspaces';

/**
 * Every kind of credential revoked across gateway replicas, the audit of
 * security-manager's own changes (in the transaction that makes them), and
 * failed authentications at the public endpoints counted like bad keys.
 */
const REPLICA_OFFSET = 45;

interface OAuthClient {
  id: string;
  client_id: string;
  client_secret: string;
}

interface AuditItem {
  action: string;
  resource: string;
  actor: string;
  credential: string | null;
  source: string;
  outcome: string;
  details: Record<string, unknown>;
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function tokenRequest(gatewayUrl: string, clientId: string, secret: string) {
  const response = await fetch(`${gatewayUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basic(clientId, secret),
    },
    body: 'grant_type=client_credentials',
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function createClient(apiKey: string, role = 'viewer'): Promise<OAuthClient> {
  const created = await api<OAuthClient>('POST', '/v1/oauth-clients', {
    apiKey,
    body: { name: `revoke-${randomBytes(3).toString('hex')}`, role },
  });
  expect(created.status).toBe(201);
  return created.body;
}

async function tokenOf(client: OAuthClient): Promise<string> {
  const reply = await tokenRequest(
    platformState().gatewayUrl,
    client.client_id,
    client.client_secret,
  );
  expect(reply.status).toBe(200);
  return reply.body.access_token as string;
}

/** Status and problem detail of a read with this bearer credential on one gateway. */
async function read(gatewayUrl: string, credential: string) {
  const response = await fetch(`${gatewayUrl}/v1/workflows`, {
    headers: { authorization: `Bearer ${credential}` },
  });
  const body = (await response.json()) as { detail?: string };
  return { status: response.status, detail: body.detail };
}

async function auditOf(apiKey: string, action: string): Promise<AuditItem[]> {
  const response = await api<{ items: AuditItem[] }>(
    'GET',
    `/v1/audit?limit=200&action=${encodeURIComponent(action)}`,
    { apiKey },
  );
  expect(response.status).toBe(200);
  return response.body.items;
}

describe('revocation across replicas, audit of security changes, public endpoints limited', () => {
  let replica: Awaited<ReturnType<typeof startExtraService>>;
  let gateways: string[];

  beforeAll(async () => {
    replica = await startExtraService('gateway', REPLICA_OFFSET);
    gateways = [platformState().gatewayUrl, replica.url];
  }, 150_000);

  afterAll(async () => {
    await replica?.stop();
  });

  it('deleting an OAuth client makes its tokens 401 on every gateway, audited with the change', async () => {
    const { keys } = await workspaceWithKeys('revoke');
    const [admin] = keys;
    const client = await createClient(admin);
    const other = await createClient(admin);
    const token = await tokenOf(client);
    const otherToken = await tokenOf(other);
    for (const url of gateways) expect((await read(url, token)).status).toBe(200);

    expect((await api('DELETE', `/v1/oauth-clients/${client.id}`, { apiKey: admin })).status).toBe(
      204,
    );
    for (const url of gateways) {
      const refused = await eventually(
        async () => {
          const answer = await read(url, token);
          return answer.status === 401 ? answer : undefined;
        },
        10_000,
        `the deleted client's token refused by ${url}`,
      );
      expect(refused.detail).toBe('token revoked: its OAuth client was deleted');
      // Another client's token of the same workspace still works.
      expect((await read(url, otherToken)).status).toBe(200);
    }

    const created = (await auditOf(admin, 'oauth-client.create')).find(
      (e) => e.resource === `oauth-clients/${client.id}`,
    );
    expect(created).toMatchObject({
      source: 'security-manager',
      outcome: 'success',
      actor: 'apikey:e2e-admin-0',
      details: { client_id: client.client_id, role: 'viewer' },
    });
    expect(created!.credential).toMatch(/^api-key:/);
    const deleted = (await auditOf(admin, 'oauth-client.delete')).find(
      (e) => e.resource === `oauth-clients/${client.id}`,
    );
    expect(deleted).toMatchObject({ actor: 'apikey:e2e-admin-0', outcome: 'success' });
  });

  it("a deleted workspace's tokens are refused on every gateway, and it gets no new token", async () => {
    const doomed = await workspaceWithKeys('revoke-ws');
    const client = await createClient(doomed.keys[0]);
    const token = await tokenOf(client);
    for (const url of gateways) expect((await read(url, token)).status).toBe(200);

    const deleted = await api('DELETE', `/v1/workspaces/${doomed.id}`, { apiKey: bootstrapKey() });
    expect(deleted.status).toBe(200);
    for (const url of gateways) {
      const refused = await eventually(
        async () => {
          const answer = await read(url, token);
          return answer.status === 401 ? answer : undefined;
        },
        10_000,
        `the deleted workspace's token refused by ${url}`,
      );
      expect(refused.detail).toBe('the workspace of this token was deleted');
      expect((await read(url, doomed.keys[0])).status).toBe(401);
    }
    const again = await tokenRequest(gateways[1], client.client_id, client.client_secret);
    expect(again).toMatchObject({
      status: 401,
      body: {
        error: 'invalid_client',
        error_description: 'the workspace of this client was deleted',
      },
    });
  });

  it('a gateway started after a revocation refuses the revoked tokens too', async () => {
    const { keys } = await workspaceWithKeys('revoke-late');
    const client = await createClient(keys[0]);
    const token = await tokenOf(client);
    expect(
      (await api('DELETE', `/v1/oauth-clients/${client.id}`, { apiKey: keys[0] })).status,
    ).toBe(204);
    await eventually(
      async () => ((await read(gateways[0], token)).status === 401 ? true : undefined),
      10_000,
      'the revocation applied',
    );
    const late = await startExtraService('gateway', REPLICA_OFFSET + 1);
    try {
      const answer = await read(late.url, token);
      expect(answer).toEqual({
        status: 401,
        detail: 'token revoked: its OAuth client was deleted',
      });
    } finally {
      await late.stop();
    }
  }, 150_000);

  it('audits secrets, workspace limits and signing-key rotation in the transaction of the change', async () => {
    const ws = await workspaceWithKeys('audited');
    const [admin] = ws.keys;
    const name = `audited-${randomBytes(3).toString('hex')}`;
    expect(
      (await api('PUT', `/v1/secrets/${name}`, { apiKey: admin, body: { value: 'v1' } })).status,
    ).toBe(201);
    expect((await api('DELETE', `/v1/secrets/${name}`, { apiKey: admin })).status).toBe(204);
    const secretActions = async (action: string) =>
      (await auditOf(admin, action)).filter((e) => e.resource === `secrets/${name}`);
    expect(await secretActions('secret.create')).toHaveLength(1);
    expect(await secretActions('secret.delete')).toHaveLength(1);
    // Nothing of the value in the trail.
    expect(JSON.stringify(await auditOf(admin, 'secret.create'))).not.toContain('"v1"');

    // Platform-wide changes are recorded in the platform admin's workspace.
    const limits = `workspaces/${ws.id}/limits`;
    const set = await api('PUT', `/v1/workspaces/${ws.id}/limits`, {
      apiKey: bootstrapKey(),
      body: { requests_per_key: 5000 },
    });
    expect(set.status).toBe(200);
    const reset = await api('DELETE', `/v1/workspaces/${ws.id}/limits`, { apiKey: bootstrapKey() });
    expect(reset.status).toBe(200);
    const setRecord = (await auditOf(bootstrapKey(), 'limits.set')).find(
      (e) => e.resource === limits,
    );
    expect(setRecord).toMatchObject({
      outcome: 'success',
      details: { requests_per_key: 5000 },
    });
    expect((await auditOf(bootstrapKey(), 'limits.reset')).some((e) => e.resource === limits)).toBe(
      true,
    );

    const rotated = await api<{ kid: string }>('POST', '/v1/platform/signing-keys/rotate', {
      apiKey: bootstrapKey(),
    });
    expect(rotated.status).toBe(200);
    expect(
      (await auditOf(bootstrapKey(), 'signing-key.rotate')).some(
        (e) => e.resource === `signing-keys/${rotated.body.kid}`,
      ),
    ).toBe(true);
    // The chain holds every one of them.
    const verified = await api<{ intact: boolean }>('GET', '/v1/audit/verify', {
      apiKey: bootstrapKey(),
    });
    expect(verified.body.intact).toBe(true);
  });

  it('failed client authentications and refused SAML responses count toward the failed-auth limit', async () => {
    const gateway = await startExtraService('gateway', REPLICA_OFFSET + 2, {
      env: { AUTH_FAILURE_LIMIT: '3', AUTH_FAILURE_WINDOW_MS: '600000' },
    });
    try {
      const wrong = () => tokenRequest(gateway.url, 'bcl_unknown', 'bcs_wrong');
      const acs = () =>
        fetch(`${gateway.url}/saml/default/acs`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          // No SAMLResponse at all: refused by the gateway itself, whatever the workspace's SSO.
          body: 'RelayState=%2Fv1%2Fagents',
          redirect: 'manual',
        });
      expect((await wrong()).status).toBe(401);
      expect((await wrong()).status).toBe(401);
      expect((await acs()).status).toBe(401);
      // The address has failed 3 times: both doors answer 429 now, before looking at anything.
      const limitedAcs = await acs();
      expect(limitedAcs.status).toBe(429);
      const limited = await wrong();
      expect(limited.status).toBe(429);
      expect(limited.headers.get('content-type')).toContain('application/problem+json');
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const metricsPort = Number(new URL(gateway.url).port) + METRICS_PORT_OFFSET;
      const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
      const sample = (reason: string) =>
        Number(
          metrics
            .split('\n')
            .find(
              (line) =>
                line.startsWith('baton_gateway_auth_refusals_total{') &&
                line.includes(`reason="${reason}"`),
            )
            ?.split(' ')
            .pop() ?? 0,
        );
      expect(sample('bad_credential')).toBe(3);
      expect(sample('rate_limited')).toBe(2);
      expect(sample('refused_by_service')).toBe(0);
    } finally {
      await gateway.stop();
    }
  }, 150_000);
});
