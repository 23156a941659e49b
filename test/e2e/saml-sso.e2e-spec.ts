import { api, eventually, platformState } from './support/platform';
import { startExtraService } from './support/service-control';
import { formOf, startSamlIdp, type SamlIdp, type SamlIdpUser } from './support/saml-idp';

interface Problem {
  detail: string;
  errors?: { field: string; message: string }[];
}

const state = platformState();
// The gateway runs without BATON_PUBLIC_URL here: it calls itself http://localhost:<port>.
const publicUrl = `http://localhost:${new URL(state.gatewayUrl).port}`;
const onGateway = (url: string): string => url.replace(publicUrl, state.gatewayUrl);

const viewer: SamlIdpUser = {
  email: 'vera@example.com',
  attributes: { groups: ['baton-viewers', 'sales'] },
};
const developer: SamlIdpUser = { email: 'dev@example.com', attributes: { groups: 'baton-devs' } };

/** Login as a browser does it: Baton → IdP (signed AuthnRequest) → the IdP's auto-post form. */
async function idpForm(idp: SamlIdp, user: SamlIdpUser, tags: Record<string, string> = {}) {
  idp.signInAs(user, tags);
  const login = await fetch(`${state.gatewayUrl}/saml/default/login?return_to=/v1/agents`, {
    redirect: 'manual',
  });
  expect(login.status).toBe(302);
  const atIdp = await fetch(login.headers.get('location')!);
  const html = await atIdp.text();
  expect(atIdp.status).toBe(200);
  const form = formOf(html);
  expect(form.action).toBe(`${publicUrl}/saml/default/acs`);
  return form as { action: string; SAMLResponse: string; RelayState: string };
}

/** The browser posting the IdP's form to the ACS. */
function postAcs(form: { action: string; SAMLResponse: string; RelayState?: string }) {
  return fetch(onGateway(form.action), {
    method: 'POST',
    body: new URLSearchParams({
      SAMLResponse: form.SAMLResponse,
      RelayState: form.RelayState ?? '',
    }),
    redirect: 'manual',
  });
}

function sessionCookieOf(response: globalThis.Response): { cookie: string; header: string } {
  const header = response.headers.getSetCookie().find((c) => c.startsWith('baton_session='));
  expect(header).toBeDefined();
  return { cookie: header!.split(';')[0], header: header! };
}

async function signIn(idp: SamlIdp, user: SamlIdpUser): Promise<string> {
  const response = await postAcs(await idpForm(idp, user));
  expect(response.status).toBe(303);
  return sessionCookieOf(response).cookie;
}

async function problemOf(response: globalThis.Response): Promise<Problem> {
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  return (await response.json()) as Problem;
}

describe('SAML 2.0 single sign-on through a real IdP (samlify)', () => {
  let idp: SamlIdp;

  beforeAll(async () => {
    idp = await startSamlIdp();
    const put = await eventually(async () => {
      const result = await api<Record<string, unknown>>('PUT', '/v1/saml-config', {
        body: {
          idp_metadata_xml: idp.metadataXml,
          attribute: 'groups',
          role_mapping: { 'baton-viewers': 'viewer', 'baton-devs': 'developer' },
        },
      });
      return result.status === 200 ? result : undefined;
    });
    expect(put.body).toMatchObject({
      workspace_id: 'default',
      attribute: 'groups',
      sp_entity_id: `${publicUrl}/saml/default/metadata`,
      sp_acs_url: `${publicUrl}/saml/default/acs`,
      idp_certificate_fingerprints: [expect.stringMatching(/^[0-9a-f]{64}$/)],
    });
    expect(JSON.stringify(put.body)).not.toContain('PRIVATE KEY');
    const metadata = await fetch(`${state.gatewayUrl}/saml/default/metadata`);
    expect(metadata.status).toBe(200);
    expect(metadata.headers.get('content-type')).toContain('application/samlmetadata+xml');
    const xml = await metadata.text();
    expect(xml).toContain(`entityID="${publicUrl}/saml/default/metadata"`);
    expect(xml).toContain(`Location="${publicUrl}/saml/default/acs"`);
    expect(xml).not.toContain('PRIVATE KEY');
    idp.trustServiceProvider(xml);
  });

  afterAll(async () => {
    await idp?.close();
  });

  it('signs a person in: the mapped role reads agents, and is refused what it lacks', async () => {
    const form = await idpForm(idp, viewer);
    const acs = await postAcs(form);
    expect(acs.status).toBe(303);
    expect(acs.headers.get('location')).toBe('/v1/agents');
    const { cookie, header } = sessionCookieOf(acs);
    expect(header).toMatch(/HttpOnly/i);
    expect(header).toMatch(/SameSite=Lax/i);
    expect(header).toMatch(/Path=\//);
    expect(header).not.toMatch(/Secure/i); // plain HTTP and BATON_COOKIE_SECURE unset
    // The IdP checked Baton's AuthnRequest signature with the certificate from Baton's metadata.
    expect(idp.requests.at(-1)).toMatchObject({
      issuer: `${publicUrl}/saml/default/metadata`,
      sigAlg: 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256',
    });

    const agents = await api('GET', '/v1/agents', { apiKey: null, headers: { cookie } });
    expect(agents.status).toBe(200);
    const audit = await api<Problem>('GET', '/v1/audit', { apiKey: null, headers: { cookie } });
    expect(audit.status).toBe(403);
    expect(audit.body.detail).toContain("lacks the permission 'audit:read'");
    const write = await api<Problem>('PUT', '/v1/saml-config', {
      apiKey: null,
      headers: { cookie, origin: publicUrl },
      body: { attribute: 'groups', role_mapping: { 'baton-viewers': 'admin' } },
    });
    expect(write.status).toBe(403);
    expect(write.body.detail).toContain("lacks the permission 'identity-providers:manage'");
  });

  it('asks a change made with the cookie for a trusted Origin (CSRF defence)', async () => {
    const cookie = await signIn(idp, developer);
    const noOrigin = await api<Problem>('POST', '/v1/agents', {
      apiKey: null,
      headers: { cookie },
      body: {},
    });
    expect(noOrigin.status).toBe(403);
    expect(noOrigin.body.errors).toEqual([{ field: 'Origin', message: 'missing' }]);
    const foreign = await api<Problem>('POST', '/v1/agents', {
      apiKey: null,
      headers: { cookie, origin: 'https://evil.example' },
      body: {},
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.errors?.[0].message).toContain('https://evil.example');
    // From the gateway's own origin the developer gets through to validation of the body.
    const trusted = await api<Problem>('POST', '/v1/agents', {
      apiKey: null,
      headers: { cookie, origin: publicUrl },
      body: {},
    });
    expect(trusted.status).toBe(422);
  });

  it('refuses a response whose signed assertion was changed', async () => {
    const form = await idpForm(idp, viewer);
    const xml = Buffer.from(form.SAMLResponse, 'base64').toString('utf8');
    expect(xml).toContain('baton-viewers');
    const forged = Buffer.from(xml.replace('baton-viewers', 'baton-devs')).toString('base64');
    const response = await postAcs({ ...form, SAMLResponse: forged });
    expect(response.status).toBe(401);
    const problem = await problemOf(response);
    expect(problem.detail).toMatch(/SAML response rejected: .*signature/i);
    expect(problem.errors?.[0].field).toBe('SAMLResponse');
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('refuses a replayed response', async () => {
    const form = await idpForm(idp, viewer);
    expect((await postAcs(form)).status).toBe(303);
    const replay = await postAcs(form);
    expect(replay.status).toBe(401);
    expect((await problemOf(replay)).detail).toContain('already used (replayed response)');
  });

  it('refuses an assertion for another audience', async () => {
    const form = await idpForm(idp, viewer, { Audience: 'https://someone-else.example/sp' });
    const response = await postAcs(form);
    expect(response.status).toBe(401);
    expect((await problemOf(response)).detail).toMatch(/audience mismatch/i);
  });

  it('refuses a response that answers no request of Baton (InResponseTo)', async () => {
    const form = await idpForm(idp, viewer, { InResponseTo: '_never-asked' });
    const response = await postAcs(form);
    expect(response.status).toBe(401);
    expect((await problemOf(response)).detail).toContain('InResponseTo');
  });

  it('refuses a response for another destination', async () => {
    const form = await idpForm(idp, viewer, { Destination: 'https://elsewhere.example/acs' });
    const response = await postAcs(form);
    expect(response.status).toBe(401);
    expect((await problemOf(response)).detail).toContain('Destination');
  });

  it('gives no session to a person whose attribute maps to no role', async () => {
    const form = await idpForm(idp, { email: 'x@example.com', attributes: { groups: 'sales' } });
    const response = await postAcs(form);
    expect(response.status).toBe(403);
    expect((await problemOf(response)).detail).toContain("no value of the attribute 'groups'");
  });

  it('signs out: the session is deleted and the cookie is refused after', async () => {
    const cookie = await signIn(idp, viewer);
    expect((await api('GET', '/v1/agents', { apiKey: null, headers: { cookie } })).status).toBe(
      200,
    );
    const logout = await fetch(`${state.gatewayUrl}/saml/logout`, {
      method: 'POST',
      headers: { cookie, origin: publicUrl },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie()[0]).toMatch(/^baton_session=;.*Expires=Thu, 01 Jan 1970/);
    const after = await api<Problem>('GET', '/v1/agents', { apiKey: null, headers: { cookie } });
    expect(after.status).toBe(401);
    expect(after.body.detail).toContain('expired or was signed out');
    const forged = await api<Problem>('GET', '/v1/agents', {
      apiKey: null,
      headers: { cookie: 'baton_session=not-a-token' },
    });
    expect(forged.status).toBe(401);
    expect(forged.body.errors).toEqual([{ field: 'baton_session', message: 'malformed' }]);
  });

  it('signs out on every gateway replica at once, and audits the sign-out', async () => {
    // A replica that would trust a session from its cache for 10 minutes.
    const replica = await startExtraService('gateway', 52, {
      env: { AUTH_CACHE_TTL_MS: '600000' },
    });
    try {
      const cookie = await signIn(idp, viewer);
      const onReplica = () =>
        fetch(`${replica.url}/v1/agents`, { headers: { cookie } }).then((r) => r.status);
      expect(await onReplica()).toBe(200); // now cached there
      const logout = await fetch(`${state.gatewayUrl}/saml/logout`, {
        method: 'POST',
        headers: { cookie, origin: publicUrl },
      });
      expect(logout.status).toBe(204);
      await eventually(
        async () => ((await onReplica()) === 401 ? true : undefined),
        10_000,
        'the signed-out session refused by the other replica',
      );
      const signOuts = await api<{ items: { actor: string; resource: string }[] }>(
        'GET',
        '/v1/audit?limit=200&action=session.sign-out',
      );
      expect(signOuts.body.items.map((e) => e.actor)).toContain(`saml:${viewer.email}`);
    } finally {
      await replica.stop();
    }
  }, 150_000);

  it('validates the config: an IdP never grants platform-admin; one IdP source only', async () => {
    const platformAdmin = await api<Problem>('PUT', '/v1/saml-config', {
      body: {
        idp_metadata_xml: idp.metadataXml,
        attribute: 'groups',
        role_mapping: { ops: 'platform-admin' },
      },
    });
    expect(platformAdmin.status).toBe(422);
    expect(platformAdmin.body.errors?.[0].field).toBe('role_mapping.ops');
    const both = await api<Problem>('PUT', '/v1/saml-config', {
      body: {
        idp_metadata_xml: idp.metadataXml,
        idp_entity_id: 'urn:x',
        attribute: 'groups',
        role_mapping: { a: 'viewer' },
      },
    });
    expect(both.status).toBe(422);
    const dtd = await api<Problem>('PUT', '/v1/saml-config', {
      body: {
        idp_metadata_xml: `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${idp.metadataXml}`,
        attribute: 'groups',
        role_mapping: { a: 'viewer' },
      },
    });
    expect(dtd.status).toBe(422);
    expect(dtd.body.errors?.[0].field).toBe('idp_metadata_xml');
    const unknown = await fetch(`${state.gatewayUrl}/saml/no-such-workspace/metadata`);
    expect(unknown.status).toBe(404);
    const badId = await fetch(`${state.gatewayUrl}/saml/..%2f..%2fetc/login`);
    expect([404, 422]).toContain(badId.status);
  });

  it('removing the config signs everyone out of SAML sessions', async () => {
    const cookie = await signIn(idp, viewer);
    expect((await api('DELETE', '/v1/saml-config')).status).toBe(204);
    // The gateway that served the deletion forgot the sessions before answering.
    const after = await api('GET', '/v1/agents', { apiKey: null, headers: { cookie } });
    expect(after.status).toBe(401);
    expect((await fetch(`${state.gatewayUrl}/saml/default/metadata`)).status).toBe(404);
    expect((await api('GET', '/v1/saml-config')).status).toBe(404);
    // Setting and removing the config are audited with the change.
    const audited = async (action: string) =>
      (
        await api<{ items: { resource: string; details: Record<string, unknown> }[] }>(
          'GET',
          `/v1/audit?limit=200&action=${action}`,
        )
      ).body.items;
    expect((await audited('saml-config.create')).length).toBeGreaterThanOrEqual(1);
    const removed = await audited('saml-config.delete');
    expect(removed.length).toBeGreaterThanOrEqual(1);
    expect(removed[0].details.sessions_ended).toEqual(expect.any(Number));
  });
});
