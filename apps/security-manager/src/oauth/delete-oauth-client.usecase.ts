import { DomainError, type OAuthClientIdQuery } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { currentCommand } from '@baton/kafka';
import { Injectable } from '@nestjs/common';
import { revocationMessage } from '../api-keys/revocations';
import { auditCommand } from '../audit/audit-in-transaction';
import { TokenSettings } from '../signing-keys/token-settings';
import { OAuthClientsRepository } from './oauth-clients.repository';

/** Clock skew a gateway allows on `exp` (and a margin): tokens are refused this much longer. */
export const REVOCATION_MARGIN_SECONDS = 60;

@Injectable()
export class DeleteOAuthClientUseCase {
  constructor(
    private readonly clients: OAuthClientsRepository,
    private readonly settings: TokenSettings,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * No new token is issued to it, and the tokens it holds stop working at
   * once: the deletion, its audit record and a revocation naming the client
   * id commit together; every gateway refuses that client's tokens until the
   * last one could expire. Another workspace's client is "not found", so its
   * existence does not leak.
   */
  async execute(query: OAuthClientIdQuery, workspaceId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      const clientId = await this.clients.delete(tx.manager, workspaceId, query.id);
      if (!clientId)
        throw new DomainError('OAUTH_CLIENT.NOT_FOUND', `no OAuth client '${query.id}'`);
      const until = new Date(
        Date.now() + (this.settings.ttlSeconds + REVOCATION_MARGIN_SECONDS) * 1000,
      );
      tx.publish(
        revocationMessage(
          workspaceId,
          {
            kind: 'jwt',
            credential_ids: [clientId],
            until: until.toISOString(),
            reason: 'OAuth client deleted',
          },
          currentCommand()?.correlationid ?? 'unknown',
        ),
      );
      await auditCommand(tx.manager, {
        action: 'oauth-client.delete',
        resource: `oauth-clients/${query.id}`,
        details: { client_id: clientId },
      });
    });
  }
}
