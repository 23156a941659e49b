import {
  ListSecretsQuery,
  MessageTypes,
  PutSecretCommand,
  SecretNameQuery,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { DeleteSecretUseCase } from '../secrets/delete-secret.usecase';
import { ListSecretsUseCase } from '../secrets/list-secrets.usecase';
import { PutSecretUseCase } from '../secrets/put-secret.usecase';
import { ResolveSecretUseCase } from '../secrets/resolve-secret.usecase';

/** The vault: always the workspace of the envelope, never one named in a body. */
@Injectable()
export class VaultCommands {
  constructor(
    commands: ServiceCommandServer,
    putSecret: PutSecretUseCase,
    listSecrets: ListSecretsUseCase,
    deleteSecret: DeleteSecretUseCase,
    resolveSecret: ResolveSecretUseCase,
  ) {
    commands
      .handle(MessageTypes.secretPut, PutSecretCommand, (command, envelope) =>
        putSecret.execute(command, envelope.workspaceid),
      )
      .handle(MessageTypes.secretList, ListSecretsQuery, (query, envelope) =>
        listSecrets.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.secretDelete, SecretNameQuery, (query, envelope) =>
        deleteSecret.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.secretResolve, SecretNameQuery, (query, envelope) =>
        resolveSecret.execute(query, envelope.workspaceid),
      );
  }
}
