import {
  DomainError,
  secretTransportContext,
  type PutSecretCommand,
  type PutSecretResult,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { SecretBox, SecretBoxError } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { auditCommand } from '../audit/audit-in-transaction';
import { secretContext } from './secret.entity';
import { toSecretView } from './secret.view';
import { SecretsRepository } from './secrets.repository';

/** Stores a secret sealed with the active key; the answer never carries the value. */
@Injectable()
export class PutSecretUseCase {
  constructor(
    private readonly secrets: SecretsRepository,
    private readonly box: SecretBox,
    private readonly uow: UnitOfWork,
  ) {}

  async execute(command: PutSecretCommand, workspaceId: string): Promise<PutSecretResult> {
    let value: unknown;
    try {
      value = this.box.open(
        command.sealed_value,
        secretTransportContext(workspaceId, command.name, 'in'),
      );
    } catch (error) {
      if (!(error instanceof SecretBoxError)) throw error;
      // The gateway sealed it with a keyring security-manager does not share.
      throw DomainError.invalid('value', 'could not be opened by the vault (keyrings differ?)');
    }
    const sealed = this.box.seal(value, secretContext(workspaceId, command.name));
    return this.uow.run(async (tx) => {
      const { secret, created } = await this.secrets.upsert(
        tx.manager,
        workspaceId,
        command.name,
        sealed,
      );
      await auditCommand(tx.manager, {
        workspaceId,
        action: created ? 'secret.create' : 'secret.update',
        resource: `secrets/${command.name}`,
      });
      return { created, secret: toSecretView(secret) };
    });
  }
}
