/**
 * The signed-in API key lives in sessionStorage only: it is gone when the tab
 * closes, is never written to localStorage, and is sent only in the
 * Authorization header to this origin. (The gateway's cookie sessions come
 * from SAML sign-in; a key cannot be exchanged for one yet.)
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
 * HttpOnly `baton_session` cookie set after SAML sign-in). The page never sees
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

/** Ends the SSO session at the gateway: it deletes the session and clears the cookie. */
export async function endSsoSession(): Promise<void> {
  await fetch('/saml/logout', { method: 'POST', credentials: 'same-origin' });
}

/** Where single sign-on starts for a workspace; the IdP sends the browser back to the console. */
export function ssoLoginUrl(workspace: string): string {
  return `/saml/${encodeURIComponent(workspace)}/login?return_to=${encodeURIComponent('/console/')}`;
}
