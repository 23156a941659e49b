import { withOpenId } from './create-identity-provider.usecase';

describe('withOpenId (the scopes asked at sign-in)', () => {
  it('asks openid first, once, keeping the other scopes in order', () => {
    expect(withOpenId(undefined)).toBe('openid');
    expect(withOpenId('groups profile')).toBe('openid groups profile');
    expect(withOpenId('profile openid groups')).toBe('openid profile groups');
  });
});
