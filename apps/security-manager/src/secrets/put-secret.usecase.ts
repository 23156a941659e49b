import type { PutSecretCommand, PutSecretResult } from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
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
    const sealed = this.box.seal(command.value, secretContext(workspaceId, command.name));
    const { secret, created } = await this.secrets.upsert(workspaceId, command.name, sealed);
    return { created, secret: toSecretView(secret) };
  }
}
