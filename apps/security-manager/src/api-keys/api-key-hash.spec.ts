import { hashApiKey, isLastUsedStale, keyPrefix } from './api-key-hash';

describe('api key hashing', () => {
  it('hashes with SHA-256 as lowercase hex', () => {
    expect(hashApiKey('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('gives different keys different hashes', () => {
    expect(hashApiKey('baton_aaaaaaaaaaaaaaaaaaaaaaaa')).not.toBe(
      hashApiKey('baton_aaaaaaaaaaaaaaaaaaaaaaab'),
    );
  });

  it('keeps the first 12 characters as the display prefix', () => {
    expect(keyPrefix('baton_0123456789abcdef')).toBe('baton_012345');
  });

  it('touches last_used_at at most once a minute', () => {
    const now = new Date('2024-11-24T10:00:00Z');
    expect(isLastUsedStale(null, now)).toBe(true);
    expect(isLastUsedStale(new Date('2024-11-24T09:59:30Z'), now)).toBe(false);
    expect(isLastUsedStale(new Date('2024-11-24T09:59:00Z'), now)).toBe(true);
  });
});
