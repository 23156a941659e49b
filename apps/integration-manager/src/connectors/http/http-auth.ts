import type { OutboundHttp } from '@baton/service-kit';
import { OperationError, type ConnectionTarget } from '../connector';
import { readLimited } from '../webhook.connector';

export const AUTH_TYPES = [
  'none',
  'basic',
  'bearer',
  'api_key',
  'oauth2_client_credentials',
  'oauth2_refresh_token',
] as const;
export type AuthType = (typeof AUTH_TYPES)[number];

export interface AuthConfig {
  type: AuthType;
  username?: string;
  /** api_key: the header carrying the key (default x-api-key). */
  header?: string;
  token_url?: string;
  client_id?: string;
  scope?: string;
  audience?: string;
  /** How the client authenticates at the token endpoint (RFC 6749 §2.3.1): basic (default) or body. */
  client_auth?: 'basic' | 'body';
}

/** Which secrets each auth type needs. */
export const AUTH_SECRETS: Record<AuthType, string[]> = {
  none: [],
  basic: ['password'],
  bearer: ['token'],
  api_key: ['api_key'],
  oauth2_client_credentials: ['client_secret'],
  oauth2_refresh_token: ['refresh_token'],
};

interface CachedToken {
  accessToken: string;
  expiresAt: number;
  /** A rotated refresh token the server gave back; it supersedes the stored one in memory. */
  refreshToken?: string;
}

const EXPIRY_MARGIN_MS = 30_000;

/**
 * OAuth 2.0 access tokens per connection (client credentials or refresh
 * token grant), cached until shortly before they expire. Concurrent callers
 * share one token request. A 401 from the API drops the token, so the next
 * attempt fetches a fresh one.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();

  constructor(
    private readonly http: OutboundHttp,
    private readonly now: () => number = Date.now,
  ) {}

  async accessToken(connection: ConnectionTarget, signal: AbortSignal): Promise<string> {
    const cached = this.tokens.get(connection.key);
    if (cached && cached.expiresAt > this.now()) return cached.accessToken;
    let request = this.pending.get(connection.key);
    if (!request) {
      request = this.fetchToken(connection, cached?.refreshToken, signal).finally(() =>
        this.pending.delete(connection.key),
      );
      this.pending.set(connection.key, request);
    }
    return (await request).accessToken;
  }

  /** Forget the access token (it was refused); a rotated refresh token is kept. */
  invalidate(key: string): void {
    const cached = this.tokens.get(key);
    if (cached) this.tokens.set(key, { ...cached, accessToken: '', expiresAt: 0 });
  }

  forget(key: string): void {
    this.tokens.delete(key);
  }

  private async fetchToken(
    connection: ConnectionTarget,
    rotatedRefreshToken: string | undefined,
    signal: AbortSignal,
  ): Promise<CachedToken> {
    const auth = connection.config.auth as AuthConfig;
    const form = new URLSearchParams();
    if (auth.type === 'oauth2_refresh_token') {
      form.set('grant_type', 'refresh_token');
      form.set('refresh_token', rotatedRefreshToken ?? connection.secrets.refresh_token);
    } else {
      form.set('grant_type', 'client_credentials');
    }
    if (auth.scope) form.set('scope', auth.scope);
    if (auth.audience) form.set('audience', auth.audience);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    const secret = connection.secrets.client_secret;
    if (auth.client_id) {
      if (auth.client_auth === 'body' || secret === undefined) {
        form.set('client_id', auth.client_id);
        if (secret !== undefined) form.set('client_secret', secret);
      } else {
        const pair = `${encodeURIComponent(auth.client_id)}:${encodeURIComponent(secret)}`;
        headers.authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
      }
    }
    let status: number;
    let text: string;
    try {
      const response = await this.http.fetch(auth.token_url!, {
        method: 'POST',
        headers,
        body: form.toString(),
        signal,
      });
      status = response.status;
      text = (await readLimited(response, 64 * 1024)).text;
    } catch (error) {
      throw new OperationError(
        'system_error',
        `token endpoint of connection '${connection.name}' failed: ${(error as Error).message}`,
      );
    }
    if (status < 200 || status >= 300) {
      // 400/401 here means the client or refresh token is refused: the connection's config is wrong.
      const type =
        status >= 400 && status < 500 && status !== 429 ? 'validation_error' : 'system_error';
      throw new OperationError(
        type,
        `token endpoint of connection '${connection.name}' answered HTTP ${status}`,
        status,
      );
    }
    let body: { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      body = {};
    }
    if (typeof body.access_token !== 'string' || body.access_token === '') {
      throw new OperationError(
        'system_error',
        `token endpoint of connection '${connection.name}' answered without an access_token`,
      );
    }
    const lifetimeMs =
      typeof body.expires_in === 'number' && body.expires_in > 0
        ? body.expires_in * 1000
        : 3_600_000;
    const token: CachedToken = {
      accessToken: body.access_token,
      expiresAt: this.now() + Math.max(0, lifetimeMs - EXPIRY_MARGIN_MS),
      refreshToken:
        typeof body.refresh_token === 'string' ? body.refresh_token : rotatedRefreshToken,
    };
    this.tokens.set(connection.key, token);
    return token;
  }
}

/** The header that authenticates a request, for the static schemes; OAuth goes through TokenCache. */
export function staticAuthHeader(
  auth: AuthConfig,
  secrets: Record<string, string>,
): [string, string] | undefined {
  switch (auth.type) {
    case 'basic':
      return [
        'authorization',
        `Basic ${Buffer.from(`${auth.username ?? ''}:${secrets.password}`).toString('base64')}`,
      ];
    case 'bearer':
      return ['authorization', `Bearer ${secrets.token}`];
    case 'api_key':
      return [(auth.header ?? 'x-api-key').toLowerCase(), secrets.api_key];
    default:
      return undefined;
  }
}
