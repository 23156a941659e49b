import { digestsEqual, newClientId, newClientSecret, secretDigest } from './client-credentials';

describe('OAuth client credentials', () => {
  it('issues recognisable, distinct ids and secrets', () => {
    expect(newClientId()).toMatch(/^bcl_[A-Za-z0-9_-]{16}$/);
    expect(newClientSecret()).toMatch(/^bcs_[A-Za-z0-9_-]{43}$/);
    expect(newClientSecret()).not.toBe(newClientSecret());
  });

  it('compares digests without telling how far they agree', () => {
    const digest = secretDigest('bcs_secret');
    expect(digest).toMatch(/^[0-9a-f]{64}$/);
    expect(digestsEqual(digest, secretDigest('bcs_secret'))).toBe(true);
    expect(digestsEqual(digest, secretDigest('bcs_other'))).toBe(false);
    expect(digestsEqual(digest, 'short')).toBe(false);
  });
});
