import type { SessionView } from '@baton/contracts';
import type { GatewayEnv } from '../gateway.env';
import type { PlatformClient } from '../platform/platform-client';
import type { CallerRequest } from './caller';
import { newSessionToken, SessionSettings } from './session-cookie';
import { SessionAuthenticator } from './session.authenticator';

describe('SessionAuthenticator', () => {
  const config = { PORT: 3000, AUTH_CACHE_TTL_MS: 600_000 } as GatewayEnv;
  const session = (id: string, workspace: string, source = 'saml'): SessionView => ({
    session_id: id,
    principal: `saml:${id}@example.com`,
    workspace_id: workspace,
    roles: ['viewer'],
    expires_at: new Date(Date.now() + 3_600_000).toISOString(),
    source,
  });
  let lookups: number;
  let authenticator: SessionAuthenticator;
  const sessions = new Map<string, SessionView>();

  const requestWith = (token: string) =>
    ({
      method: 'GET',
      header: (name: string) => (name === 'cookie' ? `baton_session=${token}` : undefined),
    }) as unknown as CallerRequest;

  beforeEach(() => {
    lookups = 0;
    const platform = {
      sendAsSystem: async () => {
        lookups++;
        return sessions.get('current')!;
      },
    } as unknown as PlatformClient;
    authenticator = new SessionAuthenticator(platform, new SessionSettings(config), config);
  });

  it('forgets the sessions a revocation names, or a deleted workspace, and nothing else', async () => {
    const a = newSessionToken();
    const b = newSessionToken();
    sessions.set('current', session('s-a', 'acme'));
    await authenticator.authenticate(requestWith(a));
    sessions.set('current', session('s-b', 'other'));
    await authenticator.authenticate(requestWith(b));
    expect(lookups).toBe(2);
    await authenticator.authenticate(requestWith(a));
    await authenticator.authenticate(requestWith(b));
    expect(lookups).toBe(2); // both cached

    authenticator.forgetSessions(['s-a']);
    sessions.set('current', session('s-a', 'acme'));
    await authenticator.authenticate(requestWith(a));
    await authenticator.authenticate(requestWith(b));
    expect(lookups).toBe(3); // a asked again, b still cached

    authenticator.forgetWorkspace('other');
    sessions.set('current', session('s-b', 'other'));
    await authenticator.authenticate(requestWith(b));
    expect(lookups).toBe(4);

    authenticator.forgetAll();
    await authenticator.authenticate(requestWith(b));
    expect(lookups).toBe(5);
  });

  it('forgets the sessions of one sign-in source in one workspace, and no other', async () => {
    const tokens = {
      oidc: newSessionToken(),
      saml: newSessionToken(),
      elsewhere: newSessionToken(),
    };
    const views = {
      oidc: session('s-oidc', 'acme', 'oidc:p1'),
      saml: session('s-saml', 'acme', 'saml'),
      elsewhere: session('s-else', 'other', 'oidc:p1'),
    };
    for (const name of ['oidc', 'saml', 'elsewhere'] as const) {
      sessions.set('current', views[name]);
      await authenticator.authenticate(requestWith(tokens[name]));
    }
    expect(lookups).toBe(3);

    authenticator.forgetSource('acme', 'oidc:p1');
    for (const name of ['oidc', 'saml', 'elsewhere'] as const) {
      sessions.set('current', views[name]);
      await authenticator.authenticate(requestWith(tokens[name]));
    }
    expect(lookups).toBe(4); // only acme's session opened through p1 was asked again
  });
});
