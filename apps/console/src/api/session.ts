/**
 * The signed-in API key lives in sessionStorage only: it is gone when the tab
 * closes, is never written to localStorage, and is sent only in the
 * Authorization header to this origin. (The gateway's cookie sessions come
 * from single sign-on, SAML or OpenID Connect; a key cannot be exchanged for one.)
 */
const KEY = 'baton.console.apiKey';
const API_KEY_PATTERN = /^\S{8,512}$/;

export function storedApiKey(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function storeApiKey(apiKey: string): void {
  sessionStorage.setItem(KEY, apiKey);
}

export function forgetApiKey(): void {
  sessionStorage.removeItem(KEY);
}

/** A key's shape before it is sent anywhere: no spaces, a sane length. */
export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/**
 * Whether this browser holds a single-sign-on session of the gateway (the
 * HttpOnly `baton_session` cookie set after SAML or OpenID sign-in). The page never sees
 * the cookie; it asks the gateway with it.
 */
export async function hasSsoSession(): Promise<boolean> {
  try {
    const response = await fetch('/v1/roles', {
      credentials: 'same-origin',
      headers: { accept: 'application/json' },
    });
    return response.ok;
  } catch {
    return false;
  }
}

/** Ends the SSO session (SAML or OpenID) at the gateway: it deletes the session and clears the cookie. */
export async function endSsoSession(): Promise<void> {
  await fetch('/saml/logout', { method: 'POST', credentials: 'same-origin' });
}

export type SsoProtocol = 'saml' | 'oidc';

/**
 * Where single sign-on starts for a workspace: its SAML IdP, or its OpenID
 * provider (the gateway is the OpenID client, ADR 0037). Either sends the
 * browser back to the console with the session cookie set.
 */
export function ssoLoginUrl(workspace: string, protocol: SsoProtocol = 'saml'): string {
  return `/${protocol}/${encodeURIComponent(workspace)}/login?return_to=${encodeURIComponent('/console/')}`;
}
