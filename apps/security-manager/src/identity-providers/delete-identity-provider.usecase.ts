import { DomainError, sessionSources, type IdentityProviderIdQuery } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { currentCommand } from '@baton/kafka';
import { Injectable } from '@nestjs/common';
import { revocationMessage } from '../api-keys/revocations';
import { auditCommand } from '../audit/audit-in-transaction';
import { SessionsRepository } from '../sessions/sessions.repository';
import { IdentityProvidersRepository } from './identity-providers.repository';

@Injectable()
export class DeleteIdentityProviderUseCase {
  constructor(
    private readonly providers: IdentityProvidersRepository,
    private readonly sessions: SessionsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Its tokens stop working at once on every gateway: a revocation naming the
   * provider goes out with the deletion and its audit record (and a gateway
   * that missed it drops the provider at its next directory refresh). The
   * console sessions opened through it end the same way.
   */
  async execute(query: IdentityProviderIdQuery, workspaceId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      if (!(await this.providers.delete(tx.manager, workspaceId, query.id))) {
        throw new DomainError('IDENTITY_PROVIDER.NOT_FOUND', `no identity provider '${query.id}'`);
      }
      const correlationId = currentCommand()?.correlationid ?? 'unknown';
      tx.publish(
        revocationMessage(
          workspaceId,
          { kind: 'oidc', credential_ids: [query.id], reason: 'identity provider deleted' },
          correlationId,
        ),
      );
      const ended = await this.sessions.deleteOfWorkspace(
        tx.manager,
        workspaceId,
        sessionSources.oidc(query.id),
      );
      // At most one page in practice: a revocation message carries up to 1,000 ids.
      for (let i = 0; i < ended.length; i += 1_000) {
        tx.publish(
          revocationMessage(
            workspaceId,
            {
              kind: 'session',
              credential_ids: ended.slice(i, i + 1_000),
              reason: 'identity provider deleted',
            },
            correlationId,
          ),
        );
      }
      await auditCommand(tx.manager, {
        action: 'identity-provider.delete',
        resource: `identity-providers/${query.id}`,
        details: { sessions_ended: ended.length },
      });
    });
  }
}
