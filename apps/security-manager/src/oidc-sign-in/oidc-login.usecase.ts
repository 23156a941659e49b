import { DomainError, ErrorCodes, type OidcLoginQuery, type OidcLoginView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import type { IdentityProviderEntity } from '../identity-providers/identity-provider.entity';
import { IdentityProvidersRepository } from '../identity-providers/identity-providers.repository';
import {
  authorizationUrl,
  LOGIN_TTL_MS,
  newLoginSecrets,
  redirectUriOf,
  sha256Hex,
} from './oidc-flow';
import { OidcLoginsRepository } from './oidc-logins.repository';

/**
 * Logins under way per workspace: /login needs no credential, so this bounds
 * what a flood of it can store (each row lives LOGIN_TTL_MS).
 */
export const MAX_PENDING_LOGINS_PER_WORKSPACE = 10_000;
/** Expired logins are deleted every this many logins (and at each callback): abandoned ones do not pile up. */
const PRUNE_EVERY_LOGINS = 100;

/**
 * Starts console sign-in at the workspace's OpenID provider: fresh state,
 * nonce and PKCE verifier, kept here (state by digest) with the browser's
 * binding, and the provider's authorization URL to send the browser to.
 */
@Injectable()
export class OidcLoginUseCase {
  private logins = 0;

  constructor(
    private readonly providers: IdentityProvidersRepository,
    private readonly pending: OidcLoginsRepository,
  ) {}

  async execute(query: OidcLoginQuery, now = Date.now()): Promise<OidcLoginView> {
    const provider = await this.providerFor(query.workspace, query.provider);
    const secrets = newLoginSecrets();
    const saved = await this.pending.save(
      {
        stateHash: sha256Hex(secrets.state),
        workspaceId: query.workspace,
        providerId: provider.id,
        browserHash: query.browser_hash,
        nonce: secrets.nonce,
        codeVerifier: secrets.codeVerifier,
        returnTo: query.return_to,
        expiresAt: new Date(now + LOGIN_TTL_MS),
      },
      MAX_PENDING_LOGINS_PER_WORKSPACE,
    );
    if (!saved) {
      throw new DomainError(
        ErrorCodes.rateLimited,
        `too many sign-ins under way in workspace '${query.workspace}'; try again in a few minutes`,
      );
    }
    if (++this.logins % PRUNE_EVERY_LOGINS === 0) await this.pending.pruneExpired();
    return {
      redirect_url: authorizationUrl(provider.authorizationEndpoint!, {
        clientId: provider.clientId!,
        redirectUri: redirectUriOf(query.public_url, query.workspace),
        scopes: provider.scopes ?? 'openid',
        secrets,
      }),
    };
  }

  /** The one provider with a client, or the one asked for; 404 and 400 name the field. */
  private async providerFor(
    workspaceId: string,
    providerId: string | undefined,
  ): Promise<IdentityProviderEntity> {
    const candidates = (await this.providers.withClient(workspaceId)).filter(
      (provider) => provider.authorizationEndpoint && provider.tokenEndpoint,
    );
    const chosen =
      providerId === undefined
        ? candidates
        : candidates.filter((provider) => provider.id === providerId);
    if (chosen.length === 0) {
      throw new DomainError(
        ErrorCodes.notFound,
        providerId === undefined
          ? `no OpenID provider signs people in to workspace '${workspaceId}'`
          : `no OpenID provider '${providerId}' signs people in to workspace '${workspaceId}'`,
        [
          providerId === undefined
            ? { field: 'workspace', message: 'has no identity provider with a client_id' }
            : { field: 'provider', message: 'not an identity provider with a client_id here' },
        ],
      );
    }
    if (chosen.length > 1) {
      throw DomainError.invalid(
        'provider',
        `the workspace has ${chosen.length} OpenID providers for sign-in; name one by its id`,
      );
    }
    return chosen[0];
  }
}
