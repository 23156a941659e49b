import type { Request } from 'express';
import { LOGIN_COOKIE, loginBindingOf, newLoginBinding } from './login-cookie';

const withCookie = (cookie: string | undefined): Request =>
  ({ header: (name: string) => (name === 'cookie' ? cookie : undefined) }) as unknown as Request;

describe('the OpenID login cookie', () => {
  it('holds 32 fresh random bytes per login', () => {
    const a = newLoginBinding();
    expect(a).toMatch(/^[\w-]{43}$/);
    expect(newLoginBinding()).not.toBe(a);
  });

  it('reads the binding among other cookies', () => {
    const binding = newLoginBinding();
    expect(loginBindingOf(withCookie(`theme=dark; ${LOGIN_COOKIE}=${binding}`))).toBe(binding);
  });

  it.each([
    ['no cookie header', undefined],
    ['no login cookie', 'baton_session=abc'],
    ['a value that is not one of ours', `${LOGIN_COOKIE}=short`],
    ['an oversized header', `${LOGIN_COOKIE}=${'a'.repeat(43)}; x=${'y'.repeat(9_000)}`],
  ])('answers nothing for %s', (_name, cookie) => {
    expect(loginBindingOf(withCookie(cookie))).toBeUndefined();
  });
});
