import {
  ListAuditPageQuery,
  ListSecretsQuery,
  MessageTypes,
  PutSecretCommand,
  SecretNameQuery,
  VerifyApiKeyQuery,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';
import { DeleteSecretUseCase } from '../secrets/delete-secret.usecase';
import { ListSecretsUseCase } from '../secrets/list-secrets.usecase';
import { PutSecretUseCase } from '../secrets/put-secret.usecase';
import { ResolveSecretUseCase } from '../secrets/resolve-secret.usecase';

/** The Kafka transport of security-manager: key verification, audit queries and the vault. */
@Injectable()
export class SecurityCommandsConsumer {
  constructor(
    commands: ServiceCommandServer,
    verifyApiKey: VerifyApiKeyUseCase,
    listAudit: ListAuditUseCase,
    putSecret: PutSecretUseCase,
    listSecrets: ListSecretsUseCase,
    deleteSecret: DeleteSecretUseCase,
    resolveSecret: ResolveSecretUseCase,
  ) {
    commands
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) => verifyApiKey.execute(query))
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        listAudit.execute(query, envelope.workspaceid),
      )
      // The vault: always the workspace of the envelope, never one named in a body.
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
