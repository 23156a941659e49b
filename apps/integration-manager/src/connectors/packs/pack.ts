import { DomainError } from '@baton/contracts';
import type { JsonSchema } from '../connector';
import type { HttpTarget } from '../openapi/openapi-call';

/**
 * An enterprise pack: a vendor's API as a bundled, trimmed OpenAPI 3
 * document (only the operations the pack offers, no `$ref`s), the config a
 * platform team fills in, and how that config becomes the http connector's
 * base URL and auth.
 */
export interface PackDefinition {
  kind: string;
  vendor: string;
  /** Which API of the vendor, as its documentation names it. */
  api: string;
  /** Where the vendor documents it. */
  docs: string;
  description: string;
  document: Record<string, unknown>;
  configSchema: JsonSchema;
  secretFields: { name: string; required?: boolean; description: string }[];
  /** The http connector's config and secrets of a connection of this pack. */
  http(config: Record<string, unknown>, secrets: Record<string, string>): HttpTarget;
  /** A modifying call first fetches a CSRF token (SAP Gateway) from this path below the base URL. */
  csrfPath?: string;
  /** Checks beyond the schema (a secret the chosen auth needs); throws DomainError. */
  validate?(config: Record<string, unknown>, secrets: Record<string, string>): void;
}

/** `https://host[:port][/path]` without a trailing slash. */
export const instanceUrl = (description: string): JsonSchema => ({
  type: 'string',
  format: 'uri',
  pattern: '^https?://[^?#]*$',
  description,
});

export function trimSlash(url: unknown): string {
  return String(url).replace(/\/+$/, '');
}

export function requireSecret(
  secrets: Record<string, string>,
  name: string,
  because: string,
): void {
  if (!secrets[name]) throw DomainError.invalid(`secrets.${name}`, `is required by ${because}`);
}

/** `auth` of packs whose vendor offers basic auth or OAuth 2.0. */
export const BASIC_OR_OAUTH_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['type'],
  additionalProperties: false,
  properties: {
    type: { enum: ['basic', 'oauth2_client_credentials', 'oauth2_refresh_token'] },
    username: { type: 'string', minLength: 1, description: 'basic' },
    client_id: { type: 'string', minLength: 1, description: 'oauth2_*' },
    token_url: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      description: 'oauth2_*: the token endpoint (default: the vendor’s on the instance)',
    },
    scope: { type: 'string' },
  },
};

interface PackAuth {
  type: 'basic' | 'oauth2_client_credentials' | 'oauth2_refresh_token';
  username?: string;
  client_id?: string;
  token_url?: string;
  scope?: string;
}

/** The http connector's auth for BASIC_OR_OAUTH_SCHEMA (`defaultTokenUrl` when none is given). */
export function basicOrOAuth(
  config: Record<string, unknown>,
  defaultTokenUrl: string,
  clientAuth: 'basic' | 'body' = 'basic',
): Record<string, unknown> {
  const auth = config.auth as PackAuth;
  if (auth.type === 'basic') return { auth: { type: 'basic', username: auth.username } };
  return {
    auth: {
      type: auth.type,
      client_id: auth.client_id,
      token_url: auth.token_url ?? defaultTokenUrl,
      client_auth: clientAuth,
      ...(auth.scope ? { scope: auth.scope } : {}),
    },
  };
}

export function validateBasicOrOAuth(
  config: Record<string, unknown>,
  secrets: Record<string, string>,
): void {
  const auth = config.auth as PackAuth;
  if (auth.type === 'basic') {
    if (!auth.username)
      throw DomainError.invalid('config.auth.username', 'is required by auth basic');
    requireSecret(secrets, 'password', 'auth basic');
    return;
  }
  if (!auth.client_id)
    throw DomainError.invalid('config.auth.client_id', `is required by auth ${auth.type}`);
  if (auth.type === 'oauth2_refresh_token') requireSecret(secrets, 'refresh_token', auth.type);
  else requireSecret(secrets, 'client_secret', auth.type);
}

export const BASIC_OR_OAUTH_SECRETS = [
  { name: 'password', description: 'auth basic' },
  { name: 'client_secret', description: 'auth oauth2_*' },
  { name: 'refresh_token', description: 'auth oauth2_refresh_token' },
];

/** The secrets the http connector reads, from a pack's. */
export function pickSecrets(
  secrets: Record<string, string>,
  names: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) if (secrets[name] !== undefined) out[name] = secrets[name];
  return out;
}

/** One pack secret under the name the http connector reads (`api_token` as basic `password`). */
export function renameSecret(
  secrets: Record<string, string>,
  from: string,
  to: string,
): Record<string, string> {
  return secrets[from] !== undefined ? { [to]: secrets[from] } : {};
}
