import {
  DomainError,
  EmptyQuery,
  ErrorCodes,
  TokenMessageTypes,
  Topics,
  type RevocationsView,
} from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PlatformClient } from '../platform/platform-client';
import type { Caller } from './caller';
import { REFRESH_COOLDOWN_MS } from './jwt-keys';
import { Refreshing } from './refreshing';

/** The snapshot is fetched again after this long, even when no message was missed. */
export const REVOCATIONS_MAX_AGE_MS = 60_000;
/**
 * A deleted identity provider's tokens are refused this long from its
 * revocation message; by then every gateway's directory has dropped it
 * (DIRECTORY_MAX_AGE_MS) and refuses them anyway.
 */
export const PROVIDER_REVOCATION_MS = 10 * 60_000;
/** Expired client revocations are swept once the list holds this many. */
const SWEEP_AT = 1_000;

/**
 * What is refused among credentials the gateway verifies on its own (Baton
 * JWTs, OpenID providers' tokens): the last snapshot from security-manager
 * plus every revocation message received since. Pure: the clock is passed in.
 */
export class RevocationList {
  private snapshotWorkspaces = new Set<string>();
  private snapshotClients = new Map<string, number>();
  private readonly workspaces = new Set<string>();
  private readonly clients = new Map<string, number>();
  private readonly providers = new Map<string, number>();

  /** Replaces the snapshot; revocations received by message stay (they may be newer). */
  applySnapshot(view: RevocationsView): void {
    this.snapshotWorkspaces = new Set(view.deleted_workspaces);
    this.snapshotClients = new Map(
      view.revoked_clients.map((client) => [client.client_id, Date.parse(client.until)]),
    );
  }

  revokeWorkspace(workspaceId: string): void {
    this.workspaces.add(workspaceId);
  }

  revokeClients(clientIds: readonly string[], until: number, now: number): void {
    for (const id of clientIds) this.clients.set(id, Math.max(until, this.clients.get(id) ?? 0));
    if (this.clients.size >= SWEEP_AT) sweep(this.clients, now);
  }

  revokeProviders(providerIds: readonly string[], until: number, now: number): void {
    for (const id of providerIds) this.providers.set(id, until);
    if (this.providers.size >= SWEEP_AT) sweep(this.providers, now);
  }

  /** Why this caller's token is refused, or undefined when it is not. */
  refusal(caller: Caller, now: number): string | undefined {
    if (this.workspaces.has(caller.workspaceId) || this.snapshotWorkspaces.has(caller.workspaceId))
      return 'the workspace of this token was deleted';
    const credential = caller.credential;
    if (credential?.kind === 'jwt') {
      const until = Math.max(
        this.clients.get(credential.id) ?? 0,
        this.snapshotClients.get(credential.id) ?? 0,
      );
      if (until > now) return 'token revoked: its OAuth client was deleted';
    }
    if (credential?.kind === 'oidc' && (this.providers.get(credential.id) ?? 0) > now)
      return 'token revoked: its identity provider was deleted';
    return undefined;
  }
}

function sweep(entries: Map<string, number>, now: number): void {
  for (const [id, until] of entries) if (until <= now) entries.delete(id);
}

/**
 * Revocation of tokens the gateway verifies locally. security-manager
 * publishes a revocation on baton.security.revocations in the transaction
 * that deletes an OAuth client, an identity provider or a workspace; every
 * replica's RevocationListener adds it here, so the token is refused at once
 * on every gateway. What a replica could have missed (before it started,
 * while its listener was away) comes from a snapshot it fetches at start,
 * after each gap and at least every REVOCATIONS_MAX_AGE_MS.
 */
@Injectable()
export class RevokedCredentials implements OnModuleInit {
  private readonly list = new RevocationList();
  private readonly snapshot: Refreshing<RevocationsView>;
  /** Set when revocation messages may have been missed: the next check waits for a newer snapshot. */
  private gapAt: number | undefined;

  constructor(platform: PlatformClient) {
    this.snapshot = new Refreshing(
      async () => {
        const view = await platform.sendAsSystem<RevocationsView>(
          Topics.securityCommands,
          TokenMessageTypes.revocationsSnapshot,
          {} satisfies EmptyQuery,
          currentContext().correlationId ?? 'revocations',
        );
        this.list.applySnapshot(view);
        return view;
      },
      { maxAgeMs: REVOCATIONS_MAX_AGE_MS, cooldownMs: REFRESH_COOLDOWN_MS },
    );
  }

  onModuleInit(): void {
    // Fetched ahead of the first token; a failure here is retried at the first check.
    this.snapshot.get().catch(() => undefined);
  }

  /** Throws a 401 naming why when the caller's token was revoked. */
  async assertAccepted(caller: Caller): Promise<void> {
    await this.current();
    const refusal = this.list.refusal(caller, Date.now());
    if (refusal) throw new DomainError(ErrorCodes.unauthorized, refusal);
  }

  revokeWorkspace(workspaceId: string): void {
    this.list.revokeWorkspace(workspaceId);
  }

  revokeClients(clientIds: readonly string[], until: string | undefined): void {
    const now = Date.now();
    // Without an end, as long as the longest token could live (the snapshot's horizon).
    const end = until ? Date.parse(until) : now + PROVIDER_REVOCATION_MS;
    this.list.revokeClients(clientIds, Number.isFinite(end) ? end : now, now);
  }

  revokeProviders(providerIds: readonly string[]): void {
    const now = Date.now();
    this.list.revokeProviders(providerIds, now + PROVIDER_REVOCATION_MS, now);
  }

  /** Messages may have been missed: the next check uses a snapshot fetched after now. */
  gap(): void {
    this.gapAt = Date.now();
  }

  private async current(): Promise<void> {
    const gapAt = this.gapAt;
    if (gapAt === undefined) {
      await this.snapshot.get();
      return;
    }
    try {
      await this.snapshot.fresh(gapAt);
      if (this.gapAt === gapAt) this.gapAt = undefined;
    } catch {
      await this.snapshot.get(); // security-manager unreachable: the last snapshot, or the error
    }
  }
}
