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
