import {
  DomainError,
  secretTransportContext,
  type PutSecretCommand,
  type PutSecretResult,
} from '@baton/contracts';
import { SecretBox, SecretBoxError } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { secretContext } from './secret.entity';
import { toSecretView } from './secret.view';
import { SecretsRepository } from './secrets.repository';

/** Stores a secret sealed with the active key; the answer never carries the value. */
@Injectable()
export class PutSecretUseCase {
  constructor(
    private readonly secrets: SecretsRepository,
    private readonly box: SecretBox,
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
    const { secret, created } = await this.secrets.upsert(workspaceId, command.name, sealed);
    return { created, secret: toSecretView(secret) };
  }
}
