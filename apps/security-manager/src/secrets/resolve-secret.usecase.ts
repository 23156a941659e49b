import {
  secretTransportContext,
  type ResolvedSecret,
  type SecretNameQuery,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { SecretBox } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { auditCommand } from '../audit/audit-in-transaction';
import { notInVault } from './delete-secret.usecase';
import { secretContext } from './secret.entity';
import { SecretsRepository } from './secrets.repository';

/**
 * A service asks for a secret of the workspace its request carries (the
 * envelope's, never the body's): the answer is the value sealed again with
 * the active key for the trip (bound to workspace and name), so only a holder
 * of the keyring can read it off the topic.
 */
@Injectable()
export class ResolveSecretUseCase {
  constructor(
    private readonly secrets: SecretsRepository,
    private readonly box: SecretBox,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(query: SecretNameQuery, workspaceId: string): Promise<ResolvedSecret> {
    const secret = await this.secrets.find(workspaceId, query.name);
    if (!secret) throw notInVault(query.name);
    const value = this.box.open(secret.sealed, secretContext(workspaceId, query.name));
    const sealed = this.box.seal(value, secretTransportContext(workspaceId, query.name, 'out'));
    // A secret read is audited: one record per resolve that reaches the vault, before it answers.
    await this.uow.run((tx) =>
      auditCommand(tx.manager, {
        workspaceId,
        action: 'secret.read',
        resource: `secrets/${query.name}`,
      }),
    );
    return { sealed };
  }
}
