import { DomainError } from '@baton/contracts';
import type { JsonSchema } from '../connector';
import { pickSecrets, requireSecret, type PackDefinition } from './pack';

interface PackAuth {
  type: 'basic' | 'oauth2_client_credentials' | 'oauth2_refresh_token';
  username?: string;
  client_id?: string;
  token_url?: string;
  scope?: string;
}

const AUTH_SCHEMA: JsonSchema = {
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

const SECRET_FIELDS = [
  { name: 'password', description: 'auth basic' },
  { name: 'client_secret', description: 'auth oauth2_*' },
  { name: 'refresh_token', description: 'auth oauth2_refresh_token' },
];

/**
 * Basic auth or OAuth 2.0, for packs whose vendor offers both (SAP,
 * ServiceNow): the `auth` config's schema, the secrets it declares and
 * checks, and how it becomes the http connector's auth and secrets.
 */
export const BASIC_OR_OAUTH = {
  /** The pack's `auth` config property. */
  schema: AUTH_SCHEMA,
  secretFields: SECRET_FIELDS,

  validate(config: Record<string, unknown>, secrets: Record<string, string>): void {
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
  },

  /** The http connector's `auth` config (`defaultTokenUrl` when none is given). */
  httpAuth(
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
  },

  /** The http connector's secrets: the ones declared, as given. */
  httpSecrets(secrets: Record<string, string>): Record<string, string> {
    return pickSecrets(
      secrets,
      SECRET_FIELDS.map((field) => field.name),
    );
  },
} satisfies Pick<PackDefinition, 'secretFields' | 'validate'> & Record<string, unknown>;
