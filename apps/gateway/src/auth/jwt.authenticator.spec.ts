import { DomainError } from '@baton/contracts';
import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type KeyLike } from 'jose';
import type { CallerRequest } from './caller';
import type { BatonKeys, IdentityProviderKeys } from './jwt-keys';
import { JwtAuthenticator, mappedRoles } from './jwt.authenticator';
import { RevokedCredentials } from './revoked-credentials';
import type { PlatformClient } from '../platform/platform-client';

const ISSUER = 'https://baton.example';
const AUDIENCE = 'baton';

const request = (authorization?: string) =>
  ({
    header: (name: string) => (name === 'authorization' ? authorization : undefined),
  }) as CallerRequest;

describe('JwtAuthenticator', () => {
  let privateKey: KeyLike;
  let authenticator: JwtAuthenticator;
  let revoked: RevokedCredentials;

  beforeAll(async () => {
    const pair = await generateKeyPair('ES256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'ES256' };
    const keys = createLocalJWKSet({ keys: [jwk] });
    const baton = {
      current: async () => ({ issuer: ISSUER, audience: AUDIENCE, keys: [jwk] }),
      resolver: keys,
    } as unknown as BatonKeys;
    const providers = { find: async () => [] } as unknown as IdentityProviderKeys;
    revoked = new RevokedCredentials({
      sendAsSystem: async () => ({ deleted_workspaces: ['gone'], revoked_clients: [] }),
    } as unknown as PlatformClient);
    authenticator = new JwtAuthenticator(baton, providers, revoked);
  });

  const sign = (
    claims: Record<string, unknown>,
    options: { aud?: string; exp?: string | number; typ?: string } = {},
  ) =>
    new SignJWT({ workspace_id: 'acme', role: 'viewer', client_id: 'bcl_x', ...claims })
      .setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: options.typ ?? 'at+jwt' })
      .setIssuer(ISSUER)
      .setAudience(options.aud ?? AUDIENCE)
      .setSubject('oauth-client:bcl_x')
      .setIssuedAt()
      .setJti('j1')
      .setExpirationTime(options.exp ?? '5m')
      .sign(privateKey);

  const refusal = async (authorization: string): Promise<string> => {
    try {
      await authenticator.authenticate(request(authorization));
    } catch (error) {
      expect(error).toBeInstanceOf(DomainError);
      return (error as DomainError).detail;
    }
    throw new Error('accepted');
  };

  it('makes a caller of a valid Baton token: its workspace, role and client', async () => {
    const caller = await authenticator.authenticate(request(`Bearer ${await sign({})}`));
    expect(caller).toMatchObject({
      principal: 'oauth-client:bcl_x',
      workspaceId: 'acme',
      roles: ['viewer'],
      credential: { kind: 'jwt', id: 'bcl_x' },
    });
  });

  it('leaves credentials that are no JWT to the other authenticators', async () => {
    expect(await authenticator.authenticate(request(undefined))).toBeUndefined();
    expect(
      await authenticator.authenticate(request('Bearer bk_live_0123456789abcdef')),
    ).toBeUndefined();
    expect(await authenticator.authenticate(request('Bearer a.b.c'))).toBeUndefined();
  });

  it('says what failed: expiry, audience, type, a missing claim, an unknown role', async () => {
    expect(
      await refusal(`Bearer ${await sign({}, { exp: Math.floor(Date.now() / 1000) - 60 })}`),
    ).toBe('token expired');
    expect(await refusal(`Bearer ${await sign({}, { aud: 'someone-else' })}`)).toBe(
      'token audience is not accepted here',
    );
    expect(await refusal(`Bearer ${await sign({}, { typ: 'JWT' })}`)).toBe(
      'token type must be at+jwt',
    );
    expect(await refusal(`Bearer ${await sign({ workspace_id: undefined })}`)).toBe(
      "token claim 'workspace_id': missing",
    );
    expect(await refusal(`Bearer ${await sign({ role: 'root' })}`)).toContain('role is not valid');
    expect(await refusal(`Bearer ${'eyJ'.padEnd(9000, 'a')}.b.c`)).toContain('longer than 8192');
  });

  it('refuses a valid token of a deleted workspace or of a deleted client, until that expires', async () => {
    expect(await refusal(`Bearer ${await sign({ workspace_id: 'gone' })}`)).toBe(
      'the workspace of this token was deleted',
    );
    revoked.revokeClients(['bcl_other'], new Date(Date.now() + 60_000).toISOString());
    expect(await authenticator.authenticate(request(`Bearer ${await sign({})}`))).toBeDefined();
    revoked.revokeClients(['bcl_x'], new Date(Date.now() - 1).toISOString());
    expect(await authenticator.authenticate(request(`Bearer ${await sign({})}`))).toBeDefined();
    revoked.revokeClients(['bcl_x'], new Date(Date.now() + 60_000).toISOString());
    expect(await refusal(`Bearer ${await sign({})}`)).toBe(
      'token revoked: its OAuth client was deleted',
    );
    revoked.revokeWorkspace('acme2');
    expect(await refusal(`Bearer ${await sign({ workspace_id: 'acme2', client_id: 'c2' })}`)).toBe(
      'the workspace of this token was deleted',
    );
  });
});

describe('mappedRoles', () => {
  const provider = {
    id: 'p',
    workspace_id: 'acme',
    issuer: 'https://idp',
    audience: 'a',
    claim: 'groups',
    role_mapping: { ops: 'operator', readers: 'viewer', root: 'platform-admin' },
  };

  it('maps a list, a single value and a space-separated string, never to platform-admin', () => {
    expect(mappedRoles(provider, { groups: ['ops', 'readers', 'root', 42] }).sort()).toEqual([
      'operator',
      'viewer',
    ]);
    expect(mappedRoles(provider, { groups: 'ops' })).toEqual(['operator']);
    expect(mappedRoles(provider, { groups: 'readers ops' }).sort()).toEqual(['operator', 'viewer']);
    expect(mappedRoles(provider, { groups: ['constructor', '__proto__'] })).toEqual([]);
    expect(mappedRoles(provider, {})).toEqual([]);
  });
});
