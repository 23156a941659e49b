import * as fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { openConsolePage, type ConsolePage } from './support/browser';
import { HttpBrowser } from './support/http-browser';
import { OidcProvider } from './support/oidc-provider';
import { api, platformState } from './support/platform';

// A browser flow crosses the gateway, security-manager and the provider: more than 60 s on a loaded machine.
jest.setTimeout(180_000);
const state = platformState();
// As in console-sso: the gateway calls itself http://localhost:<port> (no BATON_PUBLIC_URL), so
// the redirect URI registered at the provider, the cookies and the Origin check use that origin.
const publicUrl = `http://localhost:${new URL(state.gatewayUrl).port}`;
const callbackUrl = `${publicUrl}/oidc/default/callback`;
const loginUrl = `${publicUrl}/oidc/default/login?return_to=${encodeURIComponent('/console/')}`;
const isCallback = (url: URL): boolean => url.toString().startsWith(callbackUrl);

interface Problem {
  detail: string;
  errors?: { field: string }[];
}

/**
 * Console sign-in through the workspace's OpenID provider (ADR 0037), against
 * a real provider (panva's oidc-provider) with a confidential client: the
 * gateway runs the authorization code flow with PKCE, state and nonce, and
 * ends it with the same HttpOnly session cookie as SAML.
 */
describe('console sign-in through an OpenID provider', () => {
  const idp = new OidcProvider();
  let providerId: string;
  let browser: Browser;
  let page: Page;
  let screenshot: ConsolePage['screenshot'];

  beforeAll(async () => {
    await idp.start([callbackUrl]);
    const created = await api<Record<string, unknown>>('POST', '/v1/identity-providers', {
      body: {
        issuer: idp.info.issuer,
        audience: 'https://baton.e2e/console',
        claim: 'groups',
        role_mapping: { 'console-operators': 'operator' },
        client_id: idp.info.consoleClient,
        client_secret: idp.info.secret,
        scopes: 'groups',
      },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      client_id: idp.info.consoleClient,
      client_secret_set: true,
      scopes: 'openid groups',
    });
    providerId = created.body.id as string;
    ({ browser, page, screenshot } = await openConsolePage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    idp.stop();
  });

  it('signs in from the console through the provider, on a cookie the page cannot read; the API answers it; sign-out ends it', async () => {
    await idp.signInAs('ada', ['console-operators', 'everyone']);
    await page.goto(`${publicUrl}/console/`);
    await page.getByLabel('Workspace').fill('default');
    await screenshot('sign-in-oidc');
    // Baton → the provider's authorization endpoint → its sign-in → back to the callback → /console/.
    await page
      .getByRole('button', { name: 'Continue with your OpenID provider' })
      .click({ noWaitAfter: true });
    await page.getByRole('heading', { name: 'Workflows' }).waitFor({ timeout: 120_000 });
    expect(new URL(page.url()).pathname).toBe('/console/workflows');

    const cookies = await page.context().cookies(publicUrl);
    const session = cookies.find((cookie) => cookie.name === 'baton_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The login's binding cookie is gone once the callback is done.
    expect(cookies.find((cookie) => cookie.name === 'baton_oidc_login')).toBeUndefined();
    expect(await page.evaluate<string>('document.cookie')).not.toContain(session!.value);
    const storage = await page.evaluate<string>(
      'JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })',
    );
    expect(storage).not.toContain(session!.value);

    // The API call a page makes with the cookie: the mapped role (operator) reads runs.
    const fromPage = await page.evaluate<{ status: number }>(
      "fetch('/v1/runs?limit=1', { credentials: 'same-origin' }).then((r) => ({ status: r.status }))",
    );
    expect(fromPage.status).toBe(200);
    const roles = await api<{ items?: unknown[] }>('GET', '/v1/roles', {
      apiKey: null,
      headers: { cookie: `baton_session=${session!.value}` },
    });
    expect(roles.status).toBe(200);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    const after = await api('GET', '/v1/roles', {
      apiKey: null,
      headers: { cookie: `baton_session=${session!.value}` },
    });
    expect(after.status).toBe(401);
  });

  it('refuses a forged state, a replayed callback, and a callback carried to another browser', async () => {
    await idp.signInAs('grace', ['console-operators']);
    const person = new HttpBrowser();
    const callback = await person.followUntil(loginUrl, isCallback);
    expect(person.cookie(publicUrl, 'baton_oidc_login')).toMatch(/^[\w-]{43}$/);

    // Another browser (an attacker's victim, in login CSRF) presents this person's callback.
    const other = await new HttpBrowser().get(callback);
    expect(other.status).toBe(401);
    expect(((await other.json()) as Problem).errors?.[0].field).toBe('baton_oidc_login');

    // A state that Baton never issued, with the browser's own login cookie.
    const forged = new URL(callback);
    forged.searchParams.set('state', 'forged-state-0123456789');
    const refused = await person.get(forged.toString());
    expect(refused.status).toBe(401);
    expect(refused.headers.get('content-type')).toContain('application/problem+json');
    const problem = (await refused.json()) as Problem;
    expect(problem.errors?.[0].field).toBe('state');
    expect(person.cookie(publicUrl, 'baton_session')).toBeUndefined();

    // A fresh login in the same browser signs in once; the same callback again is refused,
    // even with the login cookie put back: a state is good once, whatever else is presented.
    const fresh = await person.followUntil(loginUrl, isCallback);
    const binding = person.cookie(publicUrl, 'baton_oidc_login')!;
    const signedIn = await person.get(fresh);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('location')).toBe('/console/');
    expect(person.cookie(publicUrl, 'baton_session')).toMatch(/^[\w-]{43}$/);
    expect(person.cookie(publicUrl, 'baton_oidc_login')).toBeUndefined();
    person.setCookie(publicUrl, 'baton_oidc_login', binding);
    const replayed = await person.get(fresh);
    expect(replayed.status).toBe(401);
    const replayProblem = (await replayed.json()) as Problem;
    expect(replayProblem.errors?.[0].field).toBe('state');
    expect(replayProblem.detail).toContain('unknown or already used state');
  });

  it('refuses an ID token issued for another audience', async () => {
    await idp.signInAs('mallory', ['console-operators']);
    await idp.answerIdTokensFor('some-other-client');
    try {
      const person = new HttpBrowser();
      const callback = await person.followUntil(loginUrl, isCallback);
      const refused = await person.get(callback);
      expect(refused.status).toBe(401);
      const problem = (await refused.json()) as Problem;
      expect(problem.errors?.[0].field).toBe('id_token');
      expect(problem.detail).toContain('audience is not this client');
      expect(person.cookie(publicUrl, 'baton_session')).toBeUndefined();
    } finally {
      await idp.answerIdTokensFor(undefined);
    }
  });

  it('refuses a person whose groups map to no role', async () => {
    await idp.signInAs('eve', ['everyone']);
    const person = new HttpBrowser();
    const refused = await person.get(await person.followUntil(loginUrl, isCallback));
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as Problem).detail).toContain("claim 'groups' is mapped");
  });

  it('validates the client fields, naming them, and never answers or logs the client secret', async () => {
    const withoutSecret = await api<Problem>('POST', '/v1/identity-providers', {
      body: {
        issuer: idp.info.issuer,
        audience: 'https://baton.e2e/other',
        claim: 'groups',
        role_mapping: { g: 'viewer' },
        client_id: 'someone',
      },
    });
    expect(withoutSecret.status).toBe(422);
    expect(withoutSecret.body.errors?.map((e) => e.field)).toEqual(['client_secret']);
    const badScopes = await api<Problem>('POST', '/v1/identity-providers', {
      body: {
        issuer: idp.info.issuer,
        audience: 'https://baton.e2e/other',
        claim: 'groups',
        role_mapping: { g: 'viewer' },
        client_id: 'someone',
        client_secret: 's3cret',
        scopes: 'openid  "groups"',
      },
    });
    expect(badScopes.status).toBe(422);
    expect(badScopes.body.errors?.map((e) => e.field)).toEqual(['scopes']);

    const listed = await api('GET', '/v1/identity-providers');
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body)).toContain('"client_secret_set":true');
    const audit = await api('GET', '/v1/audit?limit=200&action=identity-provider.create');
    for (const answer of [listed, audit])
      expect(JSON.stringify(answer.body)).not.toContain(idp.info.secret);
    for (const service of state.services) {
      if (!fs.existsSync(service.logFile)) continue;
      expect({
        log: service.name,
        leaked: fs.readFileSync(service.logFile, 'utf8').includes(idp.info.secret),
      }).toEqual({
        log: service.name,
        leaked: false,
      });
    }
  });

  it('deleting the provider ends the console sessions opened through it', async () => {
    await idp.signInAs('linus', ['console-operators']);
    const person = new HttpBrowser();
    expect((await person.get(await person.followUntil(loginUrl, isCallback))).status).toBe(303);
    const cookie = `baton_session=${person.cookie(publicUrl, 'baton_session')}`;
    expect((await api('GET', '/v1/roles', { apiKey: null, headers: { cookie } })).status).toBe(200);
    expect((await api('DELETE', `/v1/identity-providers/${providerId}`)).status).toBe(204);
    const after = await api('GET', '/v1/roles', { apiKey: null, headers: { cookie } });
    expect(after.status).toBe(401);
    const login = await fetch(loginUrl, { redirect: 'manual' });
    expect(login.status).toBe(404);
  });
});
