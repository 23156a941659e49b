import { ErrorCodes, type DomainError } from '@baton/contracts';
import { checkLogin } from './oidc-callback.usecase';
import { sha256Hex } from './oidc-flow';
import type { PendingOidcLogin } from './oidc-logins.repository';

describe('checkLogin (the stored half of an OpenID callback)', () => {
  const now = Date.now();
  const browserHash = sha256Hex('browser-a');
  const login: PendingOidcLogin = {
    stateHash: sha256Hex('state'),
    workspaceId: 'acme',
    providerId: '6d0f2b47-4a3c-4f0e-9a51-1d1f7e0c2b11',
    browserHash,
    nonce: 'n',
    codeVerifier: 'v',
    returnTo: '/console/',
    expiresAt: new Date(now + 60_000),
  };
  const refusal = (run: () => void): { code: string; field?: string; detail: string } => {
    try {
      run();
    } catch (error) {
      const domain = error as DomainError;
      return { code: domain.code, field: domain.errors?.[0]?.field, detail: domain.message };
    }
    throw new Error('accepted');
  };

  it('accepts the login of this workspace and browser while it is fresh', () => {
    expect(() =>
      checkLogin(login, { workspace: 'acme', browser_hash: browserHash }, now),
    ).not.toThrow();
  });

  it.each([
    ['an unknown or used state', null, 'acme', browserHash, now, 'unknown or already used state'],
    ['a late callback', login, 'acme', browserHash, now + 120_000, 'took too long'],
    ['another workspace', login, 'globex', browserHash, now, 'another workspace'],
    ['another browser', login, 'acme', sha256Hex('browser-b'), now, 'another browser'],
  ])('refuses %s with a 401 naming the state', (_name, stored, workspace, hash, at, detail) => {
    const answer = refusal(() =>
      checkLogin(stored as PendingOidcLogin | null, { workspace, browser_hash: hash }, at),
    );
    expect(answer).toEqual({
      code: ErrorCodes.unauthorized,
      field: 'state',
      detail: expect.stringContaining(detail),
    });
  });
});
