import {
  EmptyQuery,
  TokenMessageTypes,
  Topics,
  type BatonJwksView,
  type IdentityProviderDirectoryView,
  type IdentityProviderEntry,
  type IdentityProviderJwksView,
  type PublicJwk,
} from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import {
  createLocalJWKSet,
  errors,
  type FlattenedJWSInput,
  type JWSHeaderParameters,
  type KeyLike,
} from 'jose';
import { PlatformClient } from '../platform/platform-client';
import { Refreshing } from './refreshing';

/** Key sets are fetched again after this long even when every kid is known. */
export const KEYS_MAX_AGE_MS = 5 * 60_000;
/** A deleted identity provider's tokens stop working within this long. */
export const DIRECTORY_MAX_AGE_MS = 60_000;
/** However many unknown kids or issuers arrive, each set is fetched at most once a second. */
export const REFRESH_COOLDOWN_MS = 1_000;

export type KeyResolver = (
  header: JWSHeaderParameters,
  token: FlattenedJWSInput,
) => Promise<KeyLike>;

interface KeySet {
  keys: PublicJwk[];
  resolve: ReturnType<typeof createLocalJWKSet>;
}

interface KeySource {
  get(): Promise<KeySet>;
  fresh(since: number): Promise<KeySet>;
}

const keySetOf = (keys: PublicJwk[]): KeySet => ({
  keys,
  resolve: createLocalJWKSet({ keys: keys as never }),
});

/**
 * A key resolver for jose's jwtVerify over a refreshing key set: a kid it
 * does not know makes it fetch the set again (rate-limited), which is how a
 * rotated key or a provider's new key is picked up.
 */
function resolverOf(keys: KeySource): KeyResolver {
  return async (header, token) => {
    const arrived = Date.now();
    try {
      return (await (await keys.get()).resolve(header, token)) as KeyLike;
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw error;
      return (await (await keys.fresh(arrived)).resolve(header, token)) as KeyLike;
    }
  };
}

/**
 * Baton's issuer, audience and public keys, fetched from security-manager
 * over Kafka and kept, so verifying a Baton token needs no round trip.
 */
@Injectable()
export class BatonKeys {
  private readonly jwks: Refreshing<BatonJwksView & { set: KeySet }>;
  readonly resolver: KeyResolver;

  constructor(platform: PlatformClient) {
    this.jwks = new Refreshing(
      async () => {
        const view = await platform.sendAsSystem<BatonJwksView>(
          Topics.securityCommands,
          TokenMessageTypes.jwksGet,
          {} satisfies EmptyQuery,
          currentContext().correlationId ?? 'jwks',
        );
        return { ...view, set: keySetOf(view.keys) };
      },
      { maxAgeMs: KEYS_MAX_AGE_MS, cooldownMs: REFRESH_COOLDOWN_MS },
    );
    this.resolver = resolverOf({
      get: async () => (await this.jwks.get()).set,
      fresh: async (since) => (await this.jwks.fresh(since)).set,
    });
  }

  current(): Promise<BatonJwksView> {
    return this.jwks.get();
  }

  /** After a rotation through this gateway: its own next answer has the new key at once. */
  async refresh(): Promise<void> {
    await this.jwks.fresh();
  }
}

/**
 * Every workspace's OpenID providers (issuer, audience, claim, role
 * mapping), fetched from security-manager and kept; each provider's keys are
 * fetched (by security-manager, from its jwks_uri) when first needed.
 */
@Injectable()
export class IdentityProviderKeys {
  private readonly directory: Refreshing<IdentityProviderEntry[]>;
  private readonly keySets = new Map<string, KeyResolver>();

  constructor(private readonly platform: PlatformClient) {
    this.directory = new Refreshing(
      async () => {
        const view = await platform.sendAsSystem<IdentityProviderDirectoryView>(
          Topics.securityCommands,
          TokenMessageTypes.identityProviderDirectory,
          {} satisfies EmptyQuery,
          currentContext().correlationId ?? 'identity-providers',
        );
        const ids = new Set(view.providers.map((p) => p.id));
        for (const id of this.keySets.keys()) if (!ids.has(id)) this.keySets.delete(id);
        return view.providers;
      },
      { maxAgeMs: DIRECTORY_MAX_AGE_MS, cooldownMs: REFRESH_COOLDOWN_MS },
    );
  }

  /**
   * The providers trusting this issuer for one of these audiences. An issuer
   * no provider has makes the directory be fetched again (rate-limited), so a
   * provider added a moment ago is found.
   */
  async find(issuer: string, audiences: string[]): Promise<IdentityProviderEntry[]> {
    const arrived = Date.now();
    const match = (providers: IdentityProviderEntry[]) =>
      providers.filter((p) => p.issuer === issuer && audiences.includes(p.audience));
    const found = match(await this.directory.get());
    if (found.length > 0) return found;
    return match(await this.directory.fresh(arrived));
  }

  resolverFor(providerId: string): KeyResolver {
    let resolver = this.keySets.get(providerId);
    if (!resolver) {
      const keys = new Refreshing(
        async () => {
          const view = await this.platform.sendAsSystem<IdentityProviderJwksView>(
            Topics.securityCommands,
            TokenMessageTypes.identityProviderJwks,
            { id: providerId },
            currentContext().correlationId ?? 'identity-provider-keys',
          );
          return keySetOf(view.keys);
        },
        { maxAgeMs: KEYS_MAX_AGE_MS, cooldownMs: REFRESH_COOLDOWN_MS },
      );
      resolver = resolverOf(keys);
      this.keySets.set(providerId, resolver);
    }
    return resolver;
  }
}
