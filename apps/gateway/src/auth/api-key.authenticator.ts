import { MessageTypes, Topics, type PrincipalView } from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { GatewayEnv } from '../gateway.env';
import { createHash } from 'node:crypto';
import { PlatformClient } from '../platform/platform-client';
import type { Authenticator } from './authenticator';
import { callerOf, type Caller, type CallerRequest } from './caller';
import { PrincipalCache } from './principal-cache';

const BEARER = /^Bearer\s+(\S{16,200})$/i;

/**
 * `Authorization: Bearer <api key>`, verified by security-manager and cached
 * by digest. Only the SHA-256 of the key travels on Kafka; the key itself
 * stays in this process for the length of the request.
 */
@Injectable()
export class ApiKeyAuthenticator implements Authenticator {
  private readonly cache: PrincipalCache;
  /**
   * Bumped by every revocation: a verification that was in flight when one
   * arrived is used for its request but not cached, since its answer may
   * predate the revocation.
   */
  private generation = 0;
  /**
   * Verifications under way, by digest: the requests that arrive with a key
   * while it is being verified (its first use, or each expiry under load) wait
   * for that one answer instead of each sending its own round trip.
   */
  private readonly verifying = new Map<string, Promise<PrincipalView>>();

  constructor(
    private readonly platform: PlatformClient,
    env: GatewayEnv,
  ) {
    this.cache = new PrincipalCache(env.AUTH_CACHE_TTL_MS);
  }

  async authenticate(request: CallerRequest): Promise<Caller | undefined> {
    const key = BEARER.exec(request.header('authorization') ?? '')?.[1];
    if (!key) return undefined;
    const correlationId = currentContext().correlationId ?? 'unknown';
    const keyHash = createHash('sha256').update(key).digest('hex');
    const principal = this.cache.get(keyHash) ?? (await this.verify(keyHash, correlationId));
    return callerOf(principal, correlationId, { kind: 'api-key', id: principal.key_id });
  }

  private verify(keyHash: string, correlationId: string): Promise<PrincipalView> {
    const underWay = this.verifying.get(keyHash);
    if (underWay) return underWay;
    const generation = this.generation;
    const verification = this.platform
      .sendAsSystem<PrincipalView>(
        Topics.securityCommands,
        MessageTypes.apiKeyVerify,
        { key_hash: keyHash },
        correlationId,
      )
      .then((principal) => {
        if (generation === this.generation) this.cache.set(keyHash, principal);
        return principal;
      })
      .finally(() => {
        if (this.verifying.get(keyHash) === verification) this.verifying.delete(keyHash);
      });
    this.verifying.set(keyHash, verification);
    return verification;
  }

  /**
   * A revocation arrived: verifications under way may predate it, so requests
   * from now on do not join them (the ones already waiting get their answer).
   */
  private revoked(): void {
    this.generation++;
    this.verifying.clear();
  }

  /** These keys were revoked: the next request with one asks security-manager again. */
  forgetKeys(keyIds: readonly string[]): void {
    this.revoked();
    this.cache.evictKeys(keyIds);
  }

  /** The workspace was deleted: none of its keys is trusted from the cache anymore. */
  forgetWorkspace(workspaceId: string): void {
    this.revoked();
    this.cache.evictWorkspace(workspaceId);
  }

  /** Revocations may have been missed (the listener was down): trust nothing cached. */
  forgetAll(): void {
    this.revoked();
    this.cache.clear();
  }
}
