import {
  DomainError,
  type IdentityProviderIdQuery,
  type IdentityProviderJwksView,
  type PublicJwk,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { IdentityProvidersRepository } from './identity-providers.repository';
import { ProviderHttp } from './provider-http';

/** However many gateways ask, a provider's key set is fetched at most this often. */
export const PROVIDER_KEYS_MIN_AGE_MS = 10_000;

/** A provider's public keys for the gateway, which verifies its tokens locally. */
@Injectable()
export class ProviderKeysUseCase {
  private readonly cache = new Map<
    string,
    { keys: PublicJwk[]; fetchedAt: number; jwksUri: string }
  >();

  constructor(
    private readonly providers: IdentityProvidersRepository,
    private readonly http: ProviderHttp,
  ) {}

  async execute(
    query: IdentityProviderIdQuery,
    now = Date.now(),
  ): Promise<IdentityProviderJwksView> {
    const provider = await this.providers.findById(query.id);
    if (!provider) {
      this.cache.delete(query.id);
      throw new DomainError('IDENTITY_PROVIDER.NOT_FOUND', `no identity provider '${query.id}'`);
    }
    const cached = this.cache.get(provider.id);
    if (
      cached &&
      cached.jwksUri === provider.jwksUri &&
      now - cached.fetchedAt < PROVIDER_KEYS_MIN_AGE_MS
    ) {
      return { keys: cached.keys };
    }
    try {
      const keys = await this.http.keys(provider.jwksUri);
      this.cache.set(provider.id, { keys, fetchedAt: now, jwksUri: provider.jwksUri });
      return { keys };
    } catch (error) {
      // A provider that is down for a moment: its last known keys still verify its tokens.
      if (cached) return { keys: cached.keys };
      throw error;
    }
  }
}
