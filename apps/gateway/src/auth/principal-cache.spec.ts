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
