import {
  ListSecretsQuery,
  MessageTypes,
  PutSecretCommand,
  SecretNameQuery,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { DeleteSecretUseCase } from '../secrets/delete-secret.usecase';
import { ListSecretsUseCase } from '../secrets/list-secrets.usecase';
import { PutSecretUseCase } from '../secrets/put-secret.usecase';
import { ResolveSecretUseCase } from '../secrets/resolve-secret.usecase';

/** The vault: always the workspace of the envelope, never one named in a body. */
@Injectable()
export class VaultCommands extends CommandHandlers {
  constructor(
    private readonly putSecret: PutSecretUseCase,
    private readonly listSecrets: ListSecretsUseCase,
    private readonly deleteSecret: DeleteSecretUseCase,
    private readonly resolveSecret: ResolveSecretUseCase,
  ) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands
      .handle(MessageTypes.secretPut, PutSecretCommand, (command, envelope) =>
        this.putSecret.execute(command, envelope.workspaceid),
      )
      .handle(MessageTypes.secretList, ListSecretsQuery, (query, envelope) =>
        this.listSecrets.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.secretDelete, SecretNameQuery, (query, envelope) =>
        this.deleteSecret.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.secretResolve, SecretNameQuery, (query, envelope) =>
        this.resolveSecret.execute(query, envelope.workspaceid),
      );
  }
}
