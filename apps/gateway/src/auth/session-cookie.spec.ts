import type { GatewayEnv } from '../gateway.env';
import type { Request } from 'express';
import { SessionSettings, sessionTokenOf } from './session-cookie';

const settingsOf = (values: Record<string, unknown>): SessionSettings =>
  new SessionSettings({ PORT: 3000, ...values } as GatewayEnv);

const requestOf = (method: string, headers: Record<string, string>): Request =>
  ({ method, header: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe('SessionSettings', () => {
  it('defaults the public URL to localhost on the gateway port, https under TLS', () => {
    expect(settingsOf({}).publicUrl).toBe('http://localhost:3000');
    expect(settingsOf({ GATEWAY_TLS_CERT_FILE: '/x.pem' }).publicUrl).toBe(
      'https://localhost:3000',
    );
    expect(settingsOf({ BATON_PUBLIC_URL: 'https://baton.example.com/' }).publicUrl).toBe(
      'https://baton.example.com',
    );
  });

  it('marks the cookie Secure under TLS or when asked', () => {
    expect(settingsOf({}).secureCookie).toBe(false);
    expect(settingsOf({ BATON_COOKIE_SECURE: true }).secureCookie).toBe(true);
    expect(settingsOf({ GATEWAY_TLS_CERT_FILE: '/x.pem' }).secureCookie).toBe(true);
  });

  it('lets reads through and asks changes for a trusted Origin or Referer', () => {
    const settings = settingsOf({
      BATON_PUBLIC_URL: 'https://baton.example.com',
      BATON_TRUSTED_ORIGINS: 'https://console.example.com, not a url',
    });
    expect(() => settings.checkOrigin(requestOf('GET', {}))).not.toThrow();
    expect(() =>
      settings.checkOrigin(requestOf('POST', { origin: 'https://baton.example.com' })),
    ).not.toThrow();
    expect(() =>
      settings.checkOrigin(requestOf('DELETE', { origin: 'https://console.example.com' })),
    ).not.toThrow();
    expect(() =>
      settings.checkOrigin(requestOf('PUT', { referer: 'https://baton.example.com/console/x' })),
    ).not.toThrow();
    expect(() => settings.checkOrigin(requestOf('POST', {}))).toThrow(/CSRF/);
    expect(() =>
      settings.checkOrigin(requestOf('POST', { origin: 'https://baton.example.com.evil.io' })),
    ).toThrow(/CSRF/);
    expect(() => settings.checkOrigin(requestOf('PATCH', { origin: 'null' }))).toThrow(/CSRF/);
  });
});

describe('sessionTokenOf', () => {
  it('reads the baton_session cookie among others, and refuses a malformed one', () => {
    const token = 'a'.repeat(43);
    expect(sessionTokenOf(requestOf('GET', { cookie: `x=1; baton_session=${token}` }))).toBe(token);
    expect(sessionTokenOf(requestOf('GET', { cookie: 'x=1' }))).toBeUndefined();
    expect(sessionTokenOf(requestOf('GET', {}))).toBeUndefined();
    expect(() => sessionTokenOf(requestOf('GET', { cookie: 'baton_session=short' }))).toThrow(
      /malformed/,
    );
  });
});
