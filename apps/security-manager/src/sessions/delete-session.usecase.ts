import type { SessionTokenQuery } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { currentCommand } from '@baton/kafka';
import { Injectable } from '@nestjs/common';
import { revocationMessage } from '../api-keys/revocations';
import { auditCommand } from '../audit/audit-in-transaction';
import { SessionsRepository } from './sessions.repository';

/**
 * Sign-out: the session row is deleted and, in the same transaction, a
 * revocation naming it goes to every gateway (each drops it from its cache
 * at once) and the sign-out is audited in the person's workspace. Expired
 * rows of everyone go afterwards.
 */
@Injectable()
export class DeleteSessionUseCase {
  constructor(
    private readonly sessions: SessionsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(query: SessionTokenQuery): Promise<{ deleted: boolean }> {
    const deleted = await this.uow.run(async (tx) => {
      const session = await this.sessions.deleteByHash(tx.manager, query.token_hash);
      if (!session) return false;
      tx.publish(
        revocationMessage(
          session.workspaceId,
          { kind: 'session', credential_ids: [session.id], reason: 'signed out' },
          currentCommand()?.correlationid ?? 'unknown',
        ),
      );
      await auditCommand(tx.manager, {
        workspaceId: session.workspaceId,
        actor: session.principal,
        action: 'session.sign-out',
        resource: `sessions/${session.id}`,
      });
      return true;
    });
    await this.sessions.pruneExpired();
    return { deleted };
  }
}
