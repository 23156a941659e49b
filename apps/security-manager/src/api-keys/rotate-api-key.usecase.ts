import { DomainError, type RotateApiKeyCommand, type RotatedApiKeyView } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { auditKeyChange } from './api-key-audit';
import { ApiKeysRepository } from './api-keys.repository';
import { toApiKeyView } from './api-key.view';
import { insertKey } from './create-api-key.usecase';
import { assertMayGrant, graceEnd, keyStatus } from './key-policy';
import { apiKeyRevocation } from './revocations';

/**
 * Issues a successor with the same name, role, scopes and expiry, and keeps
 * the old key working for `grace_seconds` (never past its own expiry), so
 * clients can switch without an outage. A grace of 0 revokes it at once.
 */
@Injectable()
export class RotateApiKeyUseCase {
  constructor(
    private readonly keys: ApiKeysRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(
    command: RotateApiKeyCommand,
    workspaceId: string,
    correlationId: string,
  ): Promise<RotatedApiKeyView> {
    return this.uow.run(async (tx) => {
      const now = new Date();
      const old = await this.keys.findInWorkspace(workspaceId, command.id, tx.manager);
      if (!old) throw DomainError.notFound('API key', command.id);
      const role = old.roles[0] ?? '';
      assertMayGrant(command.actor, role, old.scopes);
      if (old.origin === 'bootstrap') {
        throw new DomainError(
          'API_KEY.BOOTSTRAP',
          'the bootstrap key comes from BATON_BOOTSTRAP_API_KEY: change the variable to rotate it',
        );
      }
      if (old.replacedBy) {
        throw new DomainError(
          'API_KEY.ALREADY_ROTATED',
          `API key '${old.id}' was already rotated: rotate its successor '${old.replacedBy}'`,
        );
      }
      const status = keyStatus(old, now);
      if (status !== 'active') {
        throw new DomainError(
          'API_KEY.INACTIVE',
          `API key '${old.id}' is ${status}: issue a new one`,
        );
      }
      const successor = await insertKey(tx.manager, this.keys, {
        workspaceId,
        name: old.name,
        role,
        scopes: old.scopes,
        expiresAt: old.expiresAt,
        createdBy: command.actor.principal,
      });
      const end = graceEnd(old.expiresAt, command.grace_seconds, now);
      await this.keys.markRotated(tx.manager, old.id, successor.id, end);
      old.replacedBy = successor.id;
      old.expiresAt = end;
      if (command.grace_seconds === 0) {
        await this.keys.revoke(tx.manager, workspaceId, old.id);
        old.revokedAt = now;
        tx.publish(apiKeyRevocation(workspaceId, old.id, 'rotated', correlationId));
      }
      const request = { command, workspaceId, correlationId };
      await auditKeyChange(tx.manager, request, 'api-key.rotate', old.id, {
        successor: successor.id,
        grace_seconds: command.grace_seconds,
      });
      return { key: successor, previous: toApiKeyView(old, now) };
    });
  }
}
