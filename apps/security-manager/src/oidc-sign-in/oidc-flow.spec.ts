import { authorizationUrl, newLoginSecrets, pkceChallenge, redirectUriOf } from './oidc-flow';

describe('OpenID sign-in flow values', () => {
  it('computes the S256 challenge of RFC 7636 appendix B', () => {
    expect(pkceChallenge('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('draws fresh, unguessable state, nonce and verifier for every login', () => {
    const a = newLoginSecrets();
    const b = newLoginSecrets();
    for (const value of [a.state, a.nonce, a.codeVerifier]) expect(value).toMatch(/^[\w-]{43}$/);
    expect(new Set([a.state, a.nonce, a.codeVerifier, b.state, b.nonce, b.codeVerifier]).size).toBe(
      6,
    );
    expect(a.codeChallenge).toBe(pkceChallenge(a.codeVerifier));
  });

  it('builds the redirect URI from the public URL and the workspace', () => {
    expect(redirectUriOf('https://baton.example.com/', 'acme')).toBe(
      'https://baton.example.com/oidc/acme/callback',
    );
  });

  it('sends the code-flow parameters, keeping the endpoint own query and never the verifier', () => {
    const secrets = newLoginSecrets();
    const url = new URL(
      authorizationUrl('https://idp.example.com/authorize?tenant=t1', {
        clientId: 'baton',
        redirectUri: 'https://baton.example.com/oidc/acme/callback',
        scopes: 'openid groups',
        secrets,
      }),
    );
    expect(url.origin + url.pathname).toBe('https://idp.example.com/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      tenant: 't1',
      response_type: 'code',
      client_id: 'baton',
      redirect_uri: 'https://baton.example.com/oidc/acme/callback',
      scope: 'openid groups',
      state: secrets.state,
      nonce: secrets.nonce,
      code_challenge: secrets.codeChallenge,
      code_challenge_method: 'S256',
    });
    expect(url.toString()).not.toContain(secrets.codeVerifier);
  });
});
