import { DomainError, type IdentityProviderIdQuery } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { currentCommand } from '@baton/kafka';
import { Injectable } from '@nestjs/common';
import { revocationMessage } from '../api-keys/revocations';
import { auditCommand } from '../audit/audit-in-transaction';
import { IdentityProvidersRepository } from './identity-providers.repository';

@Injectable()
export class DeleteIdentityProviderUseCase {
  constructor(
    private readonly providers: IdentityProvidersRepository,
    private readonly uow: UnitOfWork,
  ) {}

  /**
   * Its tokens stop working at once on every gateway: a revocation naming the
   * provider goes out with the deletion and its audit record (and a gateway
   * that missed it drops the provider at its next directory refresh).
   */
  async execute(query: IdentityProviderIdQuery, workspaceId: string): Promise<void> {
    await this.uow.run(async (tx) => {
      if (!(await this.providers.delete(tx.manager, workspaceId, query.id))) {
        throw new DomainError('IDENTITY_PROVIDER.NOT_FOUND', `no identity provider '${query.id}'`);
      }
      tx.publish(
        revocationMessage(
          workspaceId,
          { kind: 'oidc', credential_ids: [query.id], reason: 'identity provider deleted' },
          currentCommand()?.correlationid ?? 'unknown',
        ),
      );
      await auditCommand(tx.manager, {
        action: 'identity-provider.delete',
        resource: `identity-providers/${query.id}`,
      });
    });
  }
}
