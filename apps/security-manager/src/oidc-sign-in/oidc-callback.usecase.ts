import {
  claimRoles,
  DomainError,
  ErrorCodes,
  type OidcCallbackCommand,
  sessionSources,
  type OidcSessionView,
} from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { Logger } from 'pino';
import {
  clientSecretContext,
  type IdentityProviderEntity,
} from '../identity-providers/identity-provider.entity';
import { IdentityProvidersRepository } from '../identity-providers/identity-providers.repository';
import { ProviderHttp } from '../identity-providers/provider-http';
import { ProviderKeysUseCase } from '../identity-providers/provider-keys.usecase';
import { SessionEntity } from '../sessions/session.entity';
import { SessionsRepository } from '../sessions/sessions.repository';
import { toSessionView } from '../sessions/session.view';
import { IdTokenRejected, verifyIdToken } from './id-token';
import { redirectUriOf, SESSION_TTL_MS, sha256Hex } from './oidc-flow';
import { OidcLoginsRepository, type PendingOidcLogin } from './oidc-logins.repository';

const rejected = (field: string, message: string): DomainError =>
  new DomainError(ErrorCodes.unauthorized, `OpenID sign-in rejected: ${message}`, [
    { field, message },
  ]);

/**
 * The end of console sign-in: the state must be one this service issued, not
 * yet used, not expired, for this workspace and this browser; the code is
 * exchanged at the provider's token endpoint with the client secret and the
 * PKCE verifier; the ID token is verified (signature, iss, aud, exp, nonce);
 * its claim maps to roles as the provider's access tokens do; and a session
 * opens whose token the gateway holds (only its digest arrives here).
 */
@Injectable()
export class OidcCallbackUseCase {
  constructor(
    private readonly pending: OidcLoginsRepository,
    private readonly providers: IdentityProvidersRepository,
    private readonly keys: ProviderKeysUseCase,
    private readonly http: ProviderHttp,
    private readonly box: SecretBox,
    private readonly sessions: SessionsRepository,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async execute(command: OidcCallbackCommand, now = Date.now()): Promise<OidcSessionView> {
    const login = await this.pending.consume(sha256Hex(command.state));
    await this.pending.pruneExpired();
    checkLogin(login, command, now);
    const provider = await this.providers.findById(login.providerId);
    if (!provider?.clientId || !provider.clientSecretSealed || !provider.tokenEndpoint)
      throw rejected('state', 'the identity provider of this sign-in was removed');

    const idToken = await this.exchange(provider, command, login);
    let claims: Record<string, unknown>;
    try {
      claims = await verifyIdToken(idToken, (await this.keys.execute({ id: provider.id })).keys, {
        issuer: provider.issuer,
        clientId: provider.clientId,
        nonce: login.nonce,
        now: new Date(now),
      });
    } catch (error) {
      if (!(error instanceof IdTokenRejected)) throw error;
      this.logger.info(
        { workspace_id: login.workspaceId, provider_id: provider.id, reason: error.message },
        'OpenID sign-in rejected',
      );
      throw rejected('id_token', error.message);
    }

    const roles = claimRoles(claims, provider.claim, provider.roleMapping).sort();
    if (roles.length === 0) {
      throw new DomainError(
        ErrorCodes.forbidden,
        `no role for this person: no value of the ID token claim '${provider.claim}' is mapped`,
        [{ field: provider.claim, message: 'no mapped value' }],
      );
    }
    const session = new SessionEntity();
    session.id = randomUUID();
    session.workspaceId = login.workspaceId;
    session.tokenHash = command.session_token_hash;
    session.principal = `oidc:${provider.id}:${String(claims.sub)}`.slice(0, 300);
    session.roles = roles;
    session.source = sessionSources.oidc(provider.id);
    session.createdAt = new Date(now);
    session.expiresAt = new Date(now + SESSION_TTL_MS);
    await this.pending.transaction(async (manager) => {
      if (!(await this.sessions.workspaceIsLive(manager, login.workspaceId)))
        throw rejected('workspace', 'the workspace was deleted');
      await this.sessions.insert(manager, session);
    });
    return { ...toSessionView(session), return_to: login.returnTo };
  }

  /** The authorization code for an ID token, at the token endpoint, as the confidential client. */
  private async exchange(
    provider: IdentityProviderEntity,
    command: OidcCallbackCommand,
    login: PendingOidcLogin,
  ): Promise<string> {
    const secret = this.box.open(
      provider.clientSecretSealed!,
      clientSecretContext(provider.workspaceId, provider.id),
    ) as string;
    const answer = await this.http.postToken(
      provider.tokenEndpoint!,
      {
        grant_type: 'authorization_code',
        code: command.code,
        redirect_uri: redirectUriOf(command.public_url, command.workspace),
        code_verifier: login.codeVerifier,
      },
      { id: provider.clientId!, secret },
    );
    if (answer.status !== 200) {
      // RFC 6749 §5.2: `error` is a short ASCII code; whatever else the provider said stays out.
      const code = typeof answer.body.error === 'string' ? answer.body.error.slice(0, 64) : '';
      throw rejected(
        'code',
        `the provider refused the code (${answer.status}${/^[\x20-\x7e]+$/.test(code) ? ` ${code}` : ''})`,
      );
    }
    const idToken = answer.body.id_token;
    if (typeof idToken !== 'string' || idToken.length > 16_384)
      throw rejected('id_token', 'the provider answered no ID token');
    return idToken;
  }
}

/** The checks on the stored login that need no provider: once, in time, same workspace, same browser. */
export function checkLogin(
  login: PendingOidcLogin | null,
  command: Pick<OidcCallbackCommand, 'workspace' | 'browser_hash'>,
  now: number,
): asserts login is PendingOidcLogin {
  if (!login) throw rejected('state', 'unknown or already used state');
  if (login.expiresAt.getTime() <= now)
    throw rejected('state', 'the sign-in took too long; start again');
  if (login.workspaceId !== command.workspace)
    throw rejected('state', 'the state was issued for another workspace');
  const stored = Buffer.from(login.browserHash, 'hex');
  const presented = Buffer.from(command.browser_hash, 'hex');
  if (stored.length !== presented.length || !timingSafeEqual(stored, presented))
    throw rejected('state', 'the sign-in was started in another browser');
}
