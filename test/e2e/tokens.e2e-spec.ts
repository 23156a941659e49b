import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { api, platformState } from './support/platform';
import { issueKey, platformAdminKey } from './support/workspaces';

/**
 * Baton's own tokens: OAuth clients, the client credentials grant at
 * /oauth/token, discovery and JWKS, signing-key rotation, and the gateway's
 * local verification refusing bad tokens with a 401 that says what failed.
 */

interface Client {
  id: string;
  client_id: string;
  client_secret: string;
  role: string;
}

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

async function tokenRequest(
  form: Record<string, string>,
  headers: Record<string, string> = {},
  contentType = 'application/x-www-form-urlencoded',
) {
  const response = await fetch(`${platformState().gatewayUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body:
      contentType === 'application/json'
        ? JSON.stringify(form)
        : new URLSearchParams(form).toString(),
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

async function tokenFor(client: Client): Promise<string> {
  const reply = await tokenRequest(
    { grant_type: 'client_credentials' },
    { authorization: basic(client.client_id, client.client_secret) },
  );
  expect(reply.status).toBe(200);
  return reply.body.access_token as string;
}

async function createClient(name: string, role: string): Promise<Client> {
  const created = await api<Client>('POST', '/v1/oauth-clients', { body: { name, role } });
  expect(created.status).toBe(201);
  return created.body;
}

const segment = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('OAuth 2.0 client credentials and Baton tokens', () => {
  let viewer: Client;

  beforeAll(async () => {
    viewer = await createClient('ci-reader', 'viewer');
  });

  it('creates a client whose secret is shown once and never listed', async () => {
    expect(viewer.client_id).toMatch(/^bcl_/);
    expect(viewer.client_secret).toMatch(/^bcs_/);
    expect(viewer.role).toBe('viewer');
    const listed = await api<{ items: Record<string, unknown>[] }>('GET', '/v1/oauth-clients');
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((c) => c.id === viewer.id);
    expect(mine).toMatchObject({ client_id: viewer.client_id, name: 'ci-reader', role: 'viewer' });
    expect(JSON.stringify(listed.body)).not.toContain(viewer.client_secret);
    expect(mine).not.toHaveProperty('client_secret');
  });

  it('refuses a client with a role that is not a workspace role, naming the field', async () => {
    const refused = await api<{ errors: { field: string }[] }>('POST', '/v1/oauth-clients', {
      body: { name: 'root', role: 'platform-admin' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.errors.map((e) => e.field)).toContain('role');
  });

  it('issues a short-lived ES256 JWT that a standard client verifies against the published JWKS', async () => {
    const reply = await tokenRequest(
      { grant_type: 'client_credentials' },
      { authorization: basic(viewer.client_id, viewer.client_secret) },
    );
    expect(reply.status).toBe(200);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const token = reply.body.access_token as string;

    const discovery = await api<Record<string, string>>(
      'GET',
      '/.well-known/openid-configuration',
      { apiKey: null },
    );
    expect(discovery.status).toBe(200);
    const issuer = platformState().gatewayUrl;
    expect(discovery.body).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/oauth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
    });
    expect(discovery.body.grant_types_supported).toEqual(['client_credentials']);

    const { payload, protectedHeader } = await jwtVerify(
      token,
      createRemoteJWKSet(new URL(discovery.body.jwks_uri)),
      { issuer, audience: 'baton', typ: 'at+jwt', algorithms: ['ES256'] },
    );
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      sub: `oauth-client:${viewer.client_id}`,
      workspace_id: 'default',
      role: 'viewer',
      client_id: viewer.client_id,
    });
    expect((payload.exp as number) - (payload.iat as number)).toBe(900);
    expect(payload.jti).toEqual(expect.any(String));
    // The JWKS holds public parameters only.
    const jwks = await api<{ keys: Record<string, unknown>[] }>('GET', '/.well-known/jwks.json', {
      apiKey: null,
    });
    expect(jwks.body.keys.length).toBeGreaterThan(0);
    for (const key of jwks.body.keys) expect(key).not.toHaveProperty('d');
  });

  it('lets the token in with its role: reads allowed, management refused', async () => {
    const token = await tokenFor(viewer);
    const read = await api('GET', '/v1/workflows', { apiKey: token });
    expect(read.status).toBe(200);
    const manage = await api<{ detail: string }>('GET', '/v1/oauth-clients', { apiKey: token });
    expect(manage.status).toBe(403);
    expect(manage.body.detail).toContain('oauth-clients:manage');
    // The credential's workspace is the token's; another workspace named in a header is refused.
    const other = await api('GET', '/v1/workflows', {
      apiKey: token,
      headers: { 'x-workspace-id': 'someone-else' },
    });
    expect(other.status).toBe(403);
  });

  it('accepts the client credentials in the form too (client_secret_post)', async () => {
    const reply = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: viewer.client_id,
      client_secret: viewer.client_secret,
    });
    expect(reply.status).toBe(200);
    expect(decodeJwt(reply.body.access_token as string).role).toBe('viewer');
  });

  it('answers RFC 6749 §5.2 errors with the status the RFC gives', async () => {
    const wrongSecret = await tokenRequest(
      { grant_type: 'client_credentials' },
      { authorization: basic(viewer.client_id, 'bcs_not-the-secret') },
    );
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body).toEqual({
      error: 'invalid_client',
      error_description: 'client authentication failed',
    });
    expect(wrongSecret.headers.get('www-authenticate')).toMatch(/^Basic/);

    const unknownClient = await tokenRequest({
      grant_type: 'client_credentials',
      client_id: 'bcl_nobody',
      client_secret: 'x',
    });
    expect(unknownClient.status).toBe(401);
    expect(unknownClient.body.error).toBe('invalid_client');

    const noCredentials = await tokenRequest({ grant_type: 'client_credentials' });
    expect(noCredentials.status).toBe(401);
    expect(noCredentials.body.error).toBe('invalid_client');

    const password = await tokenRequest(
      { grant_type: 'password', username: 'a', password: 'b' },
      { authorization: basic(viewer.client_id, viewer.client_secret) },
    );
    expect(password.status).toBe(400);
    expect(password.body.error).toBe('unsupported_grant_type');

    const noGrant = await tokenRequest(
      {},
      { authorization: basic(viewer.client_id, viewer.client_secret) },
    );
    expect(noGrant).toMatchObject({ status: 400, body: { error: 'invalid_request' } });

    const json = await tokenRequest(
      { grant_type: 'client_credentials' },
      { authorization: basic(viewer.client_id, viewer.client_secret) },
      'application/json',
    );
    expect(json).toMatchObject({ status: 400, body: { error: 'invalid_request' } });

    const twice = await tokenRequest(
      { grant_type: 'client_credentials', client_secret: viewer.client_secret },
      { authorization: basic(viewer.client_id, viewer.client_secret) },
    );
    expect(twice).toMatchObject({ status: 400, body: { error: 'invalid_request' } });

    const scoped = await tokenRequest(
      { grant_type: 'client_credentials', scope: 'admin' },
      { authorization: basic(viewer.client_id, viewer.client_secret) },
    );
    expect(scoped).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });
  });

  it('refuses hostile forms: a repeated parameter, too many parameters, an oversized body', async () => {
    const post = (body: string) =>
      fetch(`${platformState().gatewayUrl}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: basic(viewer.client_id, viewer.client_secret),
        },
        body,
      });
    const repeated = await post('grant_type=client_credentials&grant_type=client_credentials');
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({ error: 'invalid_request' });

    const many = await post(Array.from({ length: 50 }, (_, i) => `p${i}=x`).join('&'));
    expect(many.status).toBeGreaterThanOrEqual(400);
    expect(many.status).toBeLessThan(500);

    const huge = await post(`grant_type=client_credentials&pad=${'x'.repeat(20_000)}`);
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
  });

  it('refuses bad tokens with a 401 problem naming what failed', async () => {
    const token = await tokenFor(viewer);
    const [header, payload, signature] = token.split('.');
    const claims = decodeJwt(token);
    const expectRefused = async (bad: string, detail: string) => {
      const response = await api<{ detail: string }>('GET', '/v1/workflows', { apiKey: bad });
      expect(response.status).toBe(401);
      expect(response.contentType).toContain('application/problem+json');
      expect(response.body.detail).toContain(detail);
    };
    // A viewer that makes itself an admin.
    await expectRefused(
      `${header}.${segment({ ...claims, role: 'admin' })}.${signature}`,
      'token signature is invalid',
    );
    await expectRefused(
      `${segment({ alg: 'none', typ: 'at+jwt' })}.${payload}.`,
      'token algorithm is not accepted',
    );
    await expectRefused(
      `${segment({ ...decodeProtectedHeader(token), kid: 'not-a-baton-key' })}.${payload}.${signature}`,
      'token signed by a key the issuer does not publish',
    );
    await expectRefused(`${header}.bm90IGpzb24.${signature}`, 'malformed token');
    await expectRefused(
      `${header}.${segment({ ...claims, iss: 'https://elsewhere.example' })}.${signature}`,
      'no identity provider trusts issuer',
    );
  });

  it('rotates the signing key without invalidating the tokens the old key signed', async () => {
    const before = await tokenFor(viewer);
    const oldKid = decodeProtectedHeader(before).kid;

    const asAdmin = await api('POST', '/v1/platform/signing-keys/rotate', {
      apiKey: await issueKey('default', 'admin'),
    });
    expect(asAdmin.status).toBe(403); // a workspace admin does not rotate the platform's keys

    const rotated = await api<{ kid: string; retired: { kid: string; published_until: string }[] }>(
      'POST',
      '/v1/platform/signing-keys/rotate',
      { apiKey: await platformAdminKey() },
    );
    expect(rotated.status).toBe(200);
    expect(rotated.body.kid).not.toBe(oldKid);
    const retired = rotated.body.retired.find((k) => k.kid === oldKid);
    expect(retired).toBeDefined();
    // Published for one token lifetime after it stopped signing.
    expect(Date.parse(retired!.published_until)).toBeGreaterThanOrEqual(
      (decodeJwt(before).exp as number) * 1000,
    );

    const after = await tokenFor(viewer);
    expect(decodeProtectedHeader(after).kid).toBe(rotated.body.kid);
    expect((await api('GET', '/v1/workflows', { apiKey: before })).status).toBe(200);
    expect((await api('GET', '/v1/workflows', { apiKey: after })).status).toBe(200);
    const jwks = await api<{ keys: { kid: string }[] }>('GET', '/.well-known/jwks.json', {
      apiKey: null,
    });
    expect(jwks.body.keys.map((k) => k.kid)).toEqual(
      expect.arrayContaining([oldKid, rotated.body.kid]),
    );
  });

  it('issues no token to a deleted client; deleting it again is not found', async () => {
    const doomed = await createClient('doomed', 'operator');
    expect((await api('DELETE', `/v1/oauth-clients/${doomed.id}`)).status).toBe(204);
    const reply = await tokenRequest(
      { grant_type: 'client_credentials' },
      { authorization: basic(doomed.client_id, doomed.client_secret) },
    );
    expect(reply).toMatchObject({ status: 401, body: { error: 'invalid_client' } });
    expect((await api('DELETE', `/v1/oauth-clients/${doomed.id}`)).status).toBe(404);
    const listed = await api<{ items: { id: string }[] }>('GET', '/v1/oauth-clients');
    expect(listed.body.items.map((c) => c.id)).not.toContain(doomed.id);
  });
});
