import { EncryptedDatabaseEnv } from '@baton/service-kit';
import { Transform } from 'class-transformer';
import {
  IsBoolean,
  IsOptional,
  IsString,
  IsUrl,
  Matches,
  MaxLength,
  MinLength,
} from 'class-validator';
import { IntBetween } from '@baton/contracts';

/**
 * The keyring (BATON_ENCRYPTION_KEYS, or BATON_ENCRYPTION_KEY) seals the vault,
 * SAML service provider keys and token signing keys at rest.
 */
export class SecurityEnv extends EncryptedDatabaseEnv {
  /**
   * An admin key for the `default` workspace, so a fresh install can be used
   * before any key was issued. Only its hash is stored.
   */
  @IsOptional()
  @MinLength(24, { message: 'BATON_BOOTSTRAP_API_KEY must be at least 24 characters' })
  @MaxLength(200, { message: 'BATON_BOOTSTRAP_API_KEY must be at most 200 characters' })
  @Matches(/^\S+$/, { message: 'BATON_BOOTSTRAP_API_KEY must not contain whitespace' })
  BATON_BOOTSTRAP_API_KEY?: string;

  /**
   * The `iss` of Baton's access tokens: the gateway's public URL, under which
   * it serves /.well-known/openid-configuration, /.well-known/jwks.json and /oauth/token.
   */
  @IsUrl(
    { protocols: ['http', 'https'], require_protocol: true, require_tld: false },
    { message: 'BATON_TOKEN_ISSUER must be an http(s) URL (the gateway as clients reach it)' },
  )
  @Matches(/^[^?#]*[^/?#]$/, {
    message: 'BATON_TOKEN_ISSUER must have no trailing slash, query or fragment',
  })
  BATON_TOKEN_ISSUER: string = 'http://localhost:3000';

  /** The `aud` of Baton's access tokens; the gateway accepts no other. */
  @IsString()
  @Matches(/^\S{1,200}$/, {
    message: 'BATON_TOKEN_AUDIENCE must be 1-200 characters without spaces',
  })
  BATON_TOKEN_AUDIENCE: string = 'baton';

  /** Lifetime of an access token; a retired signing key stays published this long. */
  @IntBetween(60, 86_400)
  BATON_TOKEN_TTL_SECONDS: number = 900;

  /**
   * Lets identity providers live on loopback and private addresses, over
   * plain http: for local development and the e2e tests' in-process provider.
   * Off by default: a tenant's issuer URL must not probe the network Baton runs in.
   */
  // From the raw text: implicit conversion would read "false" as true.
  @Transform(
    ({ obj, key }) => String((obj as Record<string, unknown>)[key]).toLowerCase() === 'true',
  )
  @IsBoolean()
  IDENTITY_PROVIDER_ALLOW_PRIVATE_NETWORKS: boolean = false;
}
