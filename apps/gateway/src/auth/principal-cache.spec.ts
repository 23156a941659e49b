import { PrincipalCache } from './principal-cache';

const principal = {
  principal: 'apikey:bootstrap',
  workspace_id: 'default',
  roles: ['admin'],
  key_id: 'k1',
};

describe('PrincipalCache', () => {
  it('answers a verified key until its time is up', () => {
    const cache = new PrincipalCache(1000);
    cache.set('hash', principal, 0);
    expect(cache.get('hash', 999)).toEqual(principal);
    expect(cache.get('hash', 1000)).toBeUndefined();
  });

  it('keeps nothing when the TTL is zero', () => {
    const cache = new PrincipalCache(0);
    cache.set('hash', principal, 0);
    expect(cache.get('hash', 0)).toBeUndefined();
  });

  it('forgets the oldest entry when full', () => {
    const cache = new PrincipalCache(1000, 2);
    cache.set('a', principal, 0);
    cache.set('b', principal, 0);
    cache.set('c', principal, 0);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('c', 1)).toEqual(principal);
  });
});

describe('PrincipalCache bounds and evictions', () => {
  it('never answers a key past its own expiry, however long the TTL', () => {
    const cache = new PrincipalCache(60_000);
    cache.set('hash', { ...principal, expires_at: new Date(500).toISOString() }, 0);
    expect(cache.get('hash', 499)).toEqual(expect.objectContaining({ key_id: 'k1' }));
    expect(cache.get('hash', 500)).toBeUndefined();
  });

  it('keeps nothing for a key already expired', () => {
    const cache = new PrincipalCache(60_000);
    cache.set('hash', { ...principal, expires_at: new Date(0).toISOString() }, 10);
    expect(cache.size).toBe(0);
  });

  it('forgets revoked keys by id and every key of a deleted workspace', () => {
    const cache = new PrincipalCache(60_000);
    cache.set('a', { ...principal, key_id: 'k1', workspace_id: 'acme' }, 0);
    cache.set('b', { ...principal, key_id: 'k2', workspace_id: 'acme' }, 0);
    cache.set('c', { ...principal, key_id: 'k3', workspace_id: 'other' }, 0);
    expect(cache.evictKeys(['k1'])).toBe(1);
    expect(cache.get('a', 1)).toBeUndefined();
    expect(cache.get('b', 1)).toBeDefined();
    expect(cache.evictWorkspace('acme')).toBe(1);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('c', 1)).toBeDefined();
  });
});
