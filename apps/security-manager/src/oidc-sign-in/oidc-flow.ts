import { createHash, randomBytes } from 'node:crypto';

/** How long a browser has between leaving for the provider and coming back. */
export const LOGIN_TTL_MS = 10 * 60_000;
/** How long a console session opened through an OpenID provider lasts (as SAML's default). */
export const SESSION_TTL_MS = 8 * 3600_000;

/** The one-time values of one sign-in (OIDC Core §3.1.2.1, RFC 7636). */
export interface LoginSecrets {
  /** Sent to the provider and back; only its digest is stored. */
  state: string;
  /** Must come back inside the ID token: ties the token to this login. */
  nonce: string;
  /** Kept here; the provider sees only its S256 challenge until the code is exchanged. */
  codeVerifier: string;
  codeChallenge: string;
}

const random = (): string => randomBytes(32).toString('base64url');

export function newLoginSecrets(): LoginSecrets {
  const codeVerifier = random();
  return {
    state: random(),
    nonce: random(),
    codeVerifier,
    codeChallenge: pkceChallenge(codeVerifier),
  };
}

/** RFC 7636 §4.2, S256: BASE64URL(SHA256(ASCII(code_verifier))). */
export function pkceChallenge(codeVerifier: string): string {
  return createHash('sha256').update(codeVerifier, 'ascii').digest('base64url');
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** Where the provider sends the browser back; registered at the provider for Baton's client. */
export function redirectUriOf(publicUrl: string, workspaceId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/oidc/${encodeURIComponent(workspaceId)}/callback`;
}

export interface AuthorizationRequest {
  clientId: string;
  redirectUri: string;
  scopes: string;
  secrets: LoginSecrets;
}

/** The provider's authorization endpoint with the code-flow parameters, its own query kept. */
export function authorizationUrl(endpoint: string, request: AuthorizationRequest): string {
  const url = new URL(endpoint);
  const parameters: Record<string, string> = {
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes,
    state: request.secrets.state,
    nonce: request.secrets.nonce,
    code_challenge: request.secrets.codeChallenge,
    code_challenge_method: 'S256',
  };
  for (const [name, value] of Object.entries(parameters)) url.searchParams.set(name, value);
  return url.toString();
}
