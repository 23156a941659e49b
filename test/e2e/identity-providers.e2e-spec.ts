import { api } from './support/platform';
import { OidcProvider } from './support/oidc-provider';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * External OpenID Connect: a real OpenID provider (oidc-provider) runs beside
 * the test; a workspace trusts it with a claim → role mapping, and the
 * gateway accepts the provider's own access tokens, verified locally.
 */
describe('External OpenID providers per workspace', () => {
  const idp = new OidcProvider();
  let providerId: string;

  beforeAll(async () => {
    await idp.start();
    const created = await api<{ id: string; jwks_uri: string; issuer: string }>(
      'POST',
      '/v1/identity-providers',
      {
        body: {
          issuer: idp.info.issuer,
          audience: idp.info.audience,
          claim: 'groups',
          role_mapping: { 'baton-operators': 'operator' },
        },
      },
    );
    expect(created.status).toBe(201);
    // Discovered from the issuer's /.well-known/openid-configuration.
    expect(created.body.jwks_uri).toBe(`${idp.info.issuer}/jwks`);
    providerId = created.body.id;
  });

  afterAll(() => idp.stop());

  it('accepts the provider access token of a client whose group maps to a role, with that role only', async () => {
    const token = await idp.clientCredentialsToken('ops-client');
    const runs = await api('GET', '/v1/runs', { apiKey: token });
    expect(runs.status).toBe(200);
    const write = await api<{ detail: string }>('POST', '/v1/workflows', {
      apiKey: token,
      body: { name: 'nope' },
    });
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain('workflows:write');
    const manage = await api('GET', '/v1/identity-providers', { apiKey: token });
    expect(manage.status).toBe(403);
  });

  it('refuses a verified identity whose claim maps to no role', async () => {
    const token = await idp.clientCredentialsToken('nobody-client');
    const response = await api<{ detail: string }>('GET', '/v1/runs', { apiKey: token });
    expect(response.status).toBe(403);
    expect(response.body.detail).toContain("token claim 'groups' maps to no role");
  });

  it('refuses expired, foreign-signed and wrong-audience tokens, saying which', async () => {
    const now = Math.floor(Date.now() / 1000);
    const base = {
      iss: idp.info.issuer,
      aud: idp.info.audience,
      sub: 'someone',
      groups: ['baton-operators'],
    };
    const cases: [string, string][] = [
      [await idp.sign({ ...base, iat: now - 3600, exp: now - 600 }), 'token expired'],
      [await idp.sign({ ...base, iat: now, exp: now + 300 }, true), 'token signature is invalid'],
      [
        await idp.sign({ ...base, aud: 'https://another.api', iat: now, exp: now + 300 }),
        'no identity provider trusts issuer',
      ],
      [await idp.sign({ ...base, iat: now }), "token claim 'exp': missing"],
    ];
    for (const [token, detail] of cases) {
      const response = await api<{ detail: string }>('GET', '/v1/runs', { apiKey: token });
      expect({ status: response.status, detail: response.body.detail }).toEqual({
        status: 401,
        detail: expect.stringContaining(detail),
      });
    }
    // The same claims, properly signed and in date, pass: the refusals above were for what they say.
    const good = await idp.sign({ ...base, iat: now, exp: now + 300 });
    expect((await api('GET', '/v1/runs', { apiKey: good })).status).toBe(200);
  });

  it('lists the provider and refuses a second one for the same issuer and audience', async () => {
    const listed = await api<{ items: { id: string; role_mapping: object }[] }>(
      'GET',
      '/v1/identity-providers',
    );
    expect(listed.body.items.find((p) => p.id === providerId)?.role_mapping).toEqual({
      'baton-operators': 'operator',
    });
    const again = await api<{ errors: { field: string }[] }>('POST', '/v1/identity-providers', {
      body: {
        issuer: idp.info.issuer,
        audience: idp.info.audience,
        claim: 'groups',
        role_mapping: { x: 'viewer' },
      },
    });
    expect(again.status).toBe(409);
    expect(again.body.errors.map((e) => e.field)).toContain('audience');
  });

  it('refuses bad providers: unknown role, a server that is no provider, a refused address', async () => {
    const badRole = await api<{ errors: { field: string }[] }>('POST', '/v1/identity-providers', {
      body: {
        issuer: idp.info.issuer,
        audience: 'other',
        claim: 'groups',
        role_mapping: { admins: 'root' },
      },
    });
    expect(badRole.status).toBe(422);
    expect(badRole.body.errors.map((e) => e.field)).toContain('role_mapping.admins');

    const receiver = new WebhookReceiver();
    const url = await receiver.start();
    try {
      const notProvider = await api<{ detail: string }>('POST', '/v1/identity-providers', {
        body: { issuer: url, audience: 'a', claim: 'groups', role_mapping: { g: 'viewer' } },
      });
      expect(notProvider.status).toBe(422);
      expect(notProvider.body.detail).toContain('issuer');
    } finally {
      await receiver.stop();
    }

    // Cloud metadata stays out of reach even where private networks are allowed.
    const metadata = await api<{ detail: string }>('POST', '/v1/identity-providers', {
      body: {
        issuer: 'http://169.254.169.254',
        audience: 'a',
        claim: 'groups',
        role_mapping: { g: 'viewer' },
      },
    });
    expect(metadata.status).toBe(422);
    expect(metadata.body.detail).toContain('does not call');
  });

  it('deletes the provider; another delete is not found', async () => {
    const other = await api<{ id: string }>('POST', '/v1/identity-providers', {
      body: {
        issuer: idp.info.issuer,
        audience: 'https://second.audience',
        claim: 'groups',
        role_mapping: { 'baton-operators': 'viewer' },
      },
    });
    expect(other.status).toBe(201);
    expect((await api('DELETE', `/v1/identity-providers/${other.body.id}`)).status).toBe(204);
    expect((await api('DELETE', `/v1/identity-providers/${other.body.id}`)).status).toBe(404);
  });

  it('deleting the provider makes its tokens 401 at once, and both changes are audited', async () => {
    const token = await idp.clientCredentialsToken('ops-client');
    expect((await api('GET', '/v1/runs', { apiKey: token })).status).toBe(200);
    expect((await api('DELETE', `/v1/identity-providers/${providerId}`)).status).toBe(204);
    // The gateway that served the deletion refuses its tokens before answering.
    const refused = await api<{ detail: string }>('GET', '/v1/runs', { apiKey: token });
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toMatch(/its identity provider was deleted/);
    const audited = async (action: string) =>
      (
        await api<{ items: { resource: string; outcome: string }[] }>(
          'GET',
          `/v1/audit?limit=200&action=${action}`,
        )
      ).body.items.filter((e) => e.resource === `identity-providers/${providerId}`);
    expect(await audited('identity-provider.create')).toHaveLength(1);
    expect(await audited('identity-provider.delete')).toEqual([
      expect.objectContaining({ outcome: 'success' }),
    ]);
  });
});
