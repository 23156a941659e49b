import { MessageTypes, Topics, type SessionView } from '@baton/contracts';
import { currentContext } from '@baton/telemetry';
import { Injectable } from '@nestjs/common';
import { GatewayEnv } from '../gateway.env';
import { PlatformClient } from '../platform/platform-client';
import type { Authenticator } from './authenticator';
import { callerOf, type Caller, type CallerRequest } from './caller';
import { SessionSettings, sessionTokenHash, sessionTokenOf } from './session-cookie';

const MAX_ENTRIES = 10_000;

/**
 * The `baton_session` cookie set by SAML sign-in. The session is looked up in
 * security-manager by the SHA-256 of its token, then trusted for at most
 * AUTH_CACHE_TTL_MS (never past its expiry). Sign-out, a deleted SAML
 * configuration or a deleted workspace reaches every replica at once: the
 * revocation message names the sessions (or the workspace) and
 * RevocationListener makes each gateway forget them. Changes need a trusted
 * Origin (SessionSettings.checkOrigin).
 */
@Injectable()
export class SessionAuthenticator implements Authenticator {
  private readonly ttlMs: number;
  private readonly cache = new Map<string, { session: SessionView; until: number }>();
  /** Bumped by every revocation: a lookup in flight when one arrives is not cached. */
  private generation = 0;

  constructor(
    private readonly platform: PlatformClient,
    private readonly settings: SessionSettings,
    env: GatewayEnv,
  ) {
    this.ttlMs = env.AUTH_CACHE_TTL_MS;
  }

  async authenticate(request: CallerRequest): Promise<Caller | undefined> {
    const token = sessionTokenOf(request);
    if (!token) return undefined;
    this.settings.checkOrigin(request);
    const correlationId = currentContext().correlationId ?? 'unknown';
    const tokenHash = sessionTokenHash(token);
    const session = await this.lookUp(tokenHash, correlationId);
    return callerOf(session, correlationId, { kind: 'session', id: session.session_id });
  }

  /** Sign-out on this replica: the session is not trusted from the cache again. */
  forget(tokenHash: string): void {
    this.generation++;
    this.cache.delete(tokenHash);
  }

  /** These sessions were ended (sign-out elsewhere, SAML configuration deleted). */
  forgetSessions(sessionIds: readonly string[]): void {
    const ids = new Set(sessionIds);
    this.forgetWhere((session) => ids.has(session.session_id));
  }

  /**
   * The sign-in these sessions came through was removed here: forgotten now,
   * so the caller who removed it sees the effect on this replica at once
   * (others forget them when the revocation message arrives).
   */
  forgetSource(workspaceId: string, source: string): void {
    this.forgetWhere(
      (session) => session.workspace_id === workspaceId && session.source === source,
    );
  }

  /** The workspace was deleted. */
  forgetWorkspace(workspaceId: string): void {
    this.forgetWhere((session) => session.workspace_id === workspaceId);
  }

  /** Revocations may have been missed: trust nothing cached. */
  forgetAll(): void {
    this.generation++;
    this.cache.clear();
  }

  private forgetWhere(test: (session: SessionView) => boolean): void {
    this.generation++;
    for (const [hash, entry] of this.cache) if (test(entry.session)) this.cache.delete(hash);
  }

  private async lookUp(tokenHash: string, correlationId: string): Promise<SessionView> {
    const now = Date.now();
    const cached = this.cache.get(tokenHash);
    if (cached && cached.until > now) return cached.session;
    this.cache.delete(tokenHash);
    const generation = this.generation;
    const session = await this.platform.sendAsSystem<SessionView>(
      Topics.securityCommands,
      MessageTypes.sessionVerify,
      { token_hash: tokenHash },
      correlationId,
    );
    const until = Math.min(now + this.ttlMs, Date.parse(session.expires_at));
    if (this.ttlMs > 0 && until > now && generation === this.generation) {
      if (this.cache.size >= MAX_ENTRIES)
        this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(tokenHash, { session, until });
    }
    return session;
  }
}
