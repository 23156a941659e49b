import type { PublicJwk } from '@baton/contracts';
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from 'jose';
import { IdTokenRejected, verifyIdToken } from './id-token';

const ISSUER = 'https://idp.example.com';
const CLIENT = 'baton-console';
const NONCE = 'n-0S6_WzA2Mj';

describe('verifyIdToken', () => {
  let privateKey: KeyLike;
  let strangerKey: KeyLike;
  let keys: PublicJwk[];
  const now = Math.floor(Date.now() / 1000);
  const claims = (extra: JWTPayload = {}): JWTPayload => ({
    iss: ISSUER,
    aud: CLIENT,
    sub: 'alice',
    nonce: NONCE,
    iat: now,
    exp: now + 300,
    groups: ['ops'],
    ...extra,
  });
  const sign = (payload: JWTPayload, key = privateKey, alg = 'RS256'): Promise<string> =>
    new SignJWT(payload).setProtectedHeader({ alg, kid: 'k1' }).sign(key);
  const expected = { issuer: ISSUER, clientId: CLIENT, nonce: NONCE };

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    strangerKey = (await generateKeyPair('RS256')).privateKey;
    keys = [{ ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256' } as PublicJwk];
  });

  it('answers the claims of a token the provider signed for this client and sign-in', async () => {
    const payload = await verifyIdToken(await sign(claims()), keys, expected);
    expect(payload).toMatchObject({ sub: 'alice', groups: ['ops'] });
  });

  it.each([
    ['another audience', claims({ aud: 'someone-else' }), 'audience is not this client'],
    ['another issuer', claims({ iss: 'https://evil.example.com' }), 'issuer is not this provider'],
    ['an expired token', claims({ iat: now - 3600, exp: now - 600 }), 'expired'],
    ['another sign-in nonce', claims({ nonce: 'replayed' }), 'nonce does not match this sign-in'],
    ['no nonce', claims({ nonce: undefined }), 'nonce does not match this sign-in'],
    ['no subject', claims({ sub: undefined }), "claim 'sub': missing"],
    [
      'several audiences and another azp',
      claims({ aud: [CLIENT, 'other'], azp: 'other' }),
      'azp is not this client',
    ],
  ])('refuses %s, saying which check failed', async (_name, payload, reason) => {
    await expect(verifyIdToken(await sign(payload), keys, expected)).rejects.toThrow(
      new IdTokenRejected(`ID token ${reason}`),
    );
  });

  it('refuses a token signed with a key the provider does not publish', async () => {
    await expect(verifyIdToken(await sign(claims(), strangerKey), keys, expected)).rejects.toThrow(
      'ID token signature is invalid',
    );
  });

  it('refuses an HMAC token keyed with anything (the client secret included) and unsigned ones', async () => {
    const hmac = await new SignJWT(claims())
      .setProtectedHeader({ alg: 'HS256', kid: 'k1' })
      .sign(new TextEncoder().encode('the-client-secret-of-32-bytes-xx'));
    await expect(verifyIdToken(hmac, keys, expected)).rejects.toThrow(IdTokenRejected);
    const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify(claims())).toString('base64url')}.`;
    await expect(verifyIdToken(unsigned, keys, expected)).rejects.toThrow(IdTokenRejected);
    await expect(verifyIdToken('not-a-jwt', keys, expected)).rejects.toThrow('malformed');
  });
});
