import { DomainError, ErrorCodes, type SecretNameQuery } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { SecretsRepository } from './secrets.repository';

@Injectable()
export class DeleteSecretUseCase {
  constructor(private readonly secrets: SecretsRepository) {}

  async execute(query: SecretNameQuery, workspaceId: string): Promise<{ deleted: true }> {
    if (!(await this.secrets.delete(workspaceId, query.name))) throw notInVault(query.name);
    return { deleted: true };
  }
}

/** The same words for "absent" and "another workspace's": existence elsewhere never leaks. */
export function notInVault(name: string): DomainError {
  return new DomainError(ErrorCodes.notFound, `secret '${name}' is not in this workspace's vault`, [
    { field: 'name', message: "is not in this workspace's vault" },
  ]);
}
