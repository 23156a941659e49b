import type { Browser, Page } from 'playwright-core';
import { openConsolePage, type ConsolePage } from './support/browser';
import { api, eventually, platformState } from './support/platform';
import { startSamlIdp, type SamlIdp } from './support/saml-idp';

/** The tests' screenshots are the documentation's (docs/console.md). */
// A browser flow crosses several services (and, for SSO, an IdP): more than the default 60 s
// on a loaded CI machine.
jest.setTimeout(180_000);
const state = platformState();
// The gateway runs without BATON_PUBLIC_URL here: it calls itself http://localhost:<port>,
// so the browser opens the console there (the ACS, the cookie and the Origin check agree).
const publicUrl = `http://localhost:${new URL(state.gatewayUrl).port}`;

/**
 * Single sign-on from the console, in Debian's Chromium: the sign-in page
 * sends the browser through a real SAML IdP (samlify) and back, the console
 * runs on the gateway's HttpOnly session cookie (no key in any storage the
 * page can read), and signing out ends the session at the gateway.
 */
describe('console single sign-on (SAML) in Chromium', () => {
  let idp: SamlIdp;
  let browser: Browser;
  let page: Page;
  let screenshot: ConsolePage['screenshot'];

  beforeAll(async () => {
    idp = await startSamlIdp();
    await eventually(async () => {
      const put = await api('PUT', '/v1/saml-config', {
        body: {
          idp_metadata_xml: idp.metadataXml,
          attribute: 'groups',
          role_mapping: { 'console-readers': 'viewer' },
        },
      });
      return put.status === 200 ? put : undefined;
    });
    const metadata = await fetch(`${state.gatewayUrl}/saml/default/metadata`);
    idp.trustServiceProvider(await metadata.text());
    ({ browser, page, screenshot } = await openConsolePage());
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await idp?.close();
  });

  it('signs in through the IdP and back, on a cookie the page cannot read, and signs out', async () => {
    idp.signInAs({
      email: 'console-reader@example.com',
      attributes: { groups: 'console-readers' },
    });
    await page.goto(`${publicUrl}/console/`);
    await page.getByLabel('Workspace').fill('default');
    await screenshot('sign-in-sso');
    // Baton → IdP (signed AuthnRequest) → the IdP's auto-posting form → ACS → /console/: four
    // navigations, waited for at their end rather than by the click.
    await page
      .getByRole('button', { name: 'Continue with single sign-on' })
      .click({ noWaitAfter: true });
    await page.getByRole('heading', { name: 'Workflows' }).waitFor({ timeout: 120_000 });
    expect(new URL(page.url()).pathname).toBe('/console/workflows');
    expect(idp.requests.at(-1)?.issuer).toBe(`${publicUrl}/saml/default/metadata`);

    const cookies = await page.context().cookies(publicUrl);
    const session = cookies.find((cookie) => cookie.name === 'baton_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    expect(await page.evaluate<string>('document.cookie')).not.toContain(session!.value);
    const storage = await page.evaluate<string>(
      'JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } })',
    );
    expect(storage).not.toContain(session!.value);
    expect(storage).not.toContain('bk_');

    // The viewer role reads runs; the page says so with the gateway's own words where it may not.
    // The nav's link: the shared default workspace's workflows list has a "Runs" link per row.
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Runs', exact: true })
      .click();
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    const after = await api('GET', '/v1/roles', {
      apiKey: null,
      headers: { cookie: `baton_session=${session!.value}` },
    });
    expect(after.status).toBe(401);
    await page.reload();
    await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
  });
});
