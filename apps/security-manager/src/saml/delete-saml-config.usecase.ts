import { DomainError, sessionSources } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { currentCommand } from '@baton/kafka';
import { Injectable } from '@nestjs/common';
import { revocationMessage } from '../api-keys/revocations';
import { auditCommand } from '../audit/audit-in-transaction';
import { SessionsRepository } from '../sessions/sessions.repository';
import { SamlRepository } from './saml.repository';

/** Ids a revocation message may carry (CredentialsRevokedMessage). */
const IDS_PER_MESSAGE = 1_000;

/**
 * Removes the IdP, the SP key and every SAML session of the workspace: its
 * people are signed out on every gateway at once (revocations naming their
 * sessions go out with the change and its audit record).
 */
@Injectable()
export class DeleteSamlConfigUseCase {
  constructor(
    private readonly repository: SamlRepository,
    private readonly sessions: SessionsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(workspaceId: string): Promise<{ deleted: true }> {
    return this.uow.run(async (tx) => {
      if (!(await this.repository.deleteConfig(tx.manager, workspaceId)))
        throw DomainError.notFound('SAML configuration of workspace', workspaceId);
      const ended = await this.sessions.deleteOfWorkspace(
        tx.manager,
        workspaceId,
        sessionSources.saml,
      );
      const correlationId = currentCommand()?.correlationid ?? 'unknown';
      for (let i = 0; i < ended.length; i += IDS_PER_MESSAGE) {
        tx.publish(
          revocationMessage(
            workspaceId,
            {
              kind: 'session',
              credential_ids: ended.slice(i, i + IDS_PER_MESSAGE),
              reason: 'SAML configuration deleted',
            },
            correlationId,
          ),
        );
      }
      await auditCommand(tx.manager, {
        action: 'saml-config.delete',
        resource: 'saml-config',
        details: { sessions_ended: ended.length },
      });
      return { deleted: true as const };
    });
  }
}
