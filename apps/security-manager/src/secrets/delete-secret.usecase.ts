import { DomainError, type SecretNameQuery } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { auditCommand } from '../audit/audit-in-transaction';
import { SecretsRepository } from './secrets.repository';

@Injectable()
export class DeleteSecretUseCase {
  constructor(
    private readonly secrets: SecretsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(query: SecretNameQuery, workspaceId: string): Promise<{ deleted: true }> {
    return this.uow.run(async (tx) => {
      if (!(await this.secrets.delete(tx.manager, workspaceId, query.name)))
        throw notInVault(query.name);
      await auditCommand(tx.manager, {
        workspaceId,
        action: 'secret.delete',
        resource: `secrets/${query.name}`,
      });
      return { deleted: true as const };
    });
  }
}

/** The same words for "absent" and "another workspace's": existence elsewhere never leaks. */
export function notInVault(name: string): DomainError {
  return new DomainError('SECRET.NOT_FOUND', `secret '${name}' is not in this workspace's vault`, [
    { field: 'name', message: "is not in this workspace's vault" },
  ]);
}
