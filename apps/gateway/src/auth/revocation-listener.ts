import { CredentialsRevokedMessage, MessageTypes, Topics, validateInto } from '@baton/contracts';
import { ConsumerContext, TopicConsumer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { ApiKeyAuthenticator } from './api-key.authenticator';
import { RevokedCredentials } from './revoked-credentials';
import { SessionAuthenticator } from './session.authenticator';

/**
 * Makes a revoked credential fail on this gateway as soon as security-manager
 * has committed the revocation. security-manager writes a message to
 * baton.security.revocations in the same transaction (outbox); every gateway
 * replica reads that topic in a consumer group of its own, so each one gets
 * every revocation and applies it:
 *
 * - `api-key`: the cached principals of those keys are dropped;
 * - `jwt` (OAuth client ids) and `oidc` (identity provider ids): their
 *   tokens, verified locally, are refused (RevokedCredentials);
 * - `session`: those SAML sessions are dropped from the cache;
 * - a whole workspace (deleted): all of the above for every credential of it.
 *
 * While this consumer is away (broker down, rejoin) the caches are emptied
 * on its return and the next token check waits for a fresh snapshot of what
 * is revoked; AUTH_CACHE_TTL_MS and REVOCATIONS_MAX_AGE_MS bound how long a
 * revoked credential can work when security-manager cannot be reached either.
 */
@Injectable()
export class RevocationListener extends TopicConsumer {
  constructor(
    context: ConsumerContext,
    private readonly apiKeys: ApiKeyAuthenticator,
    private readonly sessions: SessionAuthenticator,
    private readonly revoked: RevokedCredentials,
  ) {
    super(context, 'revocations', {
      broadcast: {
        topic: Topics.securityRevocations,
        groupPrefix: 'baton-gateway-revocations',
        handle: (envelope) => {
          if (envelope.type !== MessageTypes.credentialsRevoked) return;
          const revoked = validateInto(CredentialsRevokedMessage, envelope.data, 'revocation');
          this.apply(envelope.workspaceid, revoked);
        },
        onGap: () => {
          this.apiKeys.forgetAll();
          this.sessions.forgetAll();
          this.revoked.gap();
        },
        log: (level, message, extra) => context.logger[level](extra, message),
      },
    });
  }

  private apply(workspaceId: string, revoked: CredentialsRevokedMessage): void {
    if (revoked.whole_workspace) {
      this.revoked.revokeWorkspace(workspaceId);
      this.apiKeys.forgetWorkspace(workspaceId);
      this.sessions.forgetWorkspace(workspaceId);
      return;
    }
    switch (revoked.kind) {
      case 'api-key':
        this.apiKeys.forgetKeys(revoked.credential_ids);
        break;
      case 'jwt':
        this.revoked.revokeClients(revoked.credential_ids, revoked.until);
        break;
      case 'oidc':
        this.revoked.revokeProviders(revoked.credential_ids);
        break;
      case 'session':
        this.sessions.forgetSessions(revoked.credential_ids);
        break;
      default:
        break;
    }
  }
}
