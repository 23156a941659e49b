import { IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { SamlWorkspaceQuery, type SessionView } from './saml.messages';

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * `baton.oidc.login`: start console sign-in at the workspace's OpenID provider
 * (ADR 0037). The workspace comes from the URL; the gateway adds its public
 * URL (the redirect URI derives from it) and the digest of the random value
 * it put in the browser's short-lived login cookie, which binds the login to
 * that browser.
 */
export class OidcLoginQuery extends SamlWorkspaceQuery {
  /** Which provider, when the workspace has several with a client; optional with one. */
  @IsOptional()
  @IsUUID(undefined, { message: 'provider must be the id of an identity provider' })
  provider?: string;

  /** Where the browser returns after sign-in: a path on the gateway (the gateway made it safe). */
  @IsString()
  @MaxLength(1_024)
  return_to!: string;

  @Matches(SHA256_HEX, { message: 'browser_hash must be a SHA-256 in hex' })
  browser_hash!: string;
}

export interface OidcLoginView {
  redirect_url: string;
}

/**
 * `baton.oidc.callback`: the provider sent the browser back with a code and
 * the state. The gateway generated the session token; only its SHA-256
 * travels here, beside the digest of the browser's login cookie.
 */
export class OidcCallbackCommand extends SamlWorkspaceQuery {
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  state!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(4_096)
  code!: string;

  @Matches(SHA256_HEX, { message: 'browser_hash must be a SHA-256 in hex' })
  browser_hash!: string;

  @Matches(SHA256_HEX, { message: 'session_token_hash must be a SHA-256 in hex' })
  session_token_hash!: string;
}

/** The session opened, and where the browser goes now. */
export interface OidcSessionView extends SessionView {
  return_to: string;
}
