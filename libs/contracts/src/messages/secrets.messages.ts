import { PagedQuery } from './pagination';
import { IsString, Matches, MaxLength, MinLength } from 'class-validator';

/** A vault secret's name: what `api_key_secret` and other configs name. */
export const SECRET_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;
const SECRET_NAME_MESSAGE =
  'must be 1-128 letters, digits, `_`, `.` or `-`, starting with a letter or digit';
/** Largest secret value, in characters: keys and tokens, not documents. */
export const SECRET_VALUE_MAX = 16_384;

/**
 * `PUT /v1/secrets/{name}` on its way to security-manager: the gateway seals
 * the value with the keyring (secretTransportContext 'in') before it goes on
 * Kafka, so it never crosses a topic in clear.
 */
export class PutSecretCommand {
  @IsString()
  @Matches(SECRET_NAME_PATTERN, { message: SECRET_NAME_MESSAGE })
  name!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(4 * SECRET_VALUE_MAX)
  sealed_value!: string;
}

/** The body of `PUT /v1/secrets/{name}`. */
export class PutSecretBody {
  @IsString()
  @MinLength(1)
  @MaxLength(SECRET_VALUE_MAX)
  value!: string;
}

/** A secret named in a path (`DELETE /v1/secrets/{name}`) or asked for by a service. */
export class SecretNameQuery {
  @IsString()
  @Matches(SECRET_NAME_PATTERN, { message: SECRET_NAME_MESSAGE })
  name!: string;
}

export class ListSecretsQuery extends PagedQuery() {}

/** A secret as listed: never its value. `key_id` names the key that seals it at rest. */
export interface SecretView {
  name: string;
  key_id: string;
  created_at: string;
  updated_at: string;
}

export interface PutSecretResult {
  created: boolean;
  secret: SecretView;
}

/**
 * The answer to `baton.secret.resolve` (asked by services, never by the
 * gateway): the value sealed with the shared keyring, bound to the workspace
 * and name (secretTransportContext), so it never crosses Kafka in clear.
 */
export interface ResolvedSecret {
  sealed: string;
}

/**
 * The associated data a secret is sealed with on Kafka: 'in' from the gateway
 * to the vault, 'out' from the vault to a service that uses it. Bound to the
 * workspace and name, so a sealed value replayed for another one does not open.
 */
export function secretTransportContext(
  workspaceId: string,
  name: string,
  direction: 'in' | 'out',
): string {
  return `vault-${direction}:${workspaceId}/${name}`;
}
