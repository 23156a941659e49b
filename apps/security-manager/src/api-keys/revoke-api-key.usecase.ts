import { DomainError, type ApiKeyIdCommand } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { auditKeyChange } from './api-key-audit';
import { ApiKeysRepository } from './api-keys.repository';
import { assertMayGrant } from './key-policy';
import { apiKeyRevocation } from './revocations';

/**
 * Revokes a key of the caller's workspace. The revocation message goes out
 * through the outbox with the change, so every gateway forgets the key even
 * when the caller hangs up or security-manager dies right after the commit.
 */
@Injectable()
export class RevokeApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(
    command: ApiKeyIdCommand,
    workspaceId: string,
    correlationId: string,
  ): Promise<void> {
    await this.uow.run(async (tx) => {
      const key = await this.keys.findInWorkspace(workspaceId, command.id, tx.manager);
      if (!key) throw DomainError.notFound('API key', command.id);
      // Whoever could not have issued a key may not take it away either.
      assertMayGrant(command.actor, key.roles[0] ?? '', key.scopes);
      // Revoking twice is not an error: the key is revoked, as asked.
      if (!(await this.keys.revoke(tx.manager, workspaceId, key.id))) return;
      tx.publish(apiKeyRevocation(workspaceId, key.id, 'revoked', correlationId));
      const request = { command, workspaceId, correlationId };
      await auditKeyChange(tx.manager, request, 'api-key.revoke', key.id, {
        prefix: key.prefix,
        name: key.name,
      });
    });
  }
}
