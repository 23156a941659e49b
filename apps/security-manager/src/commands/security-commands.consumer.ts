import { ListAuditPageQuery, MessageTypes, VerifyApiKeyQuery } from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { VerifyApiKeyUseCase } from '../api-keys/verify-api-key.usecase';
import { ListAuditUseCase } from '../audit/list-audit.usecase';
import { CreateIdentityProviderUseCase } from '../identity-providers/create-identity-provider.usecase';
import { DeleteIdentityProviderUseCase } from '../identity-providers/delete-identity-provider.usecase';
import { ListIdentityProvidersUseCase } from '../identity-providers/list-identity-providers.usecase';
import { ProviderKeysUseCase } from '../identity-providers/provider-keys.usecase';
import { CreateOAuthClientUseCase } from '../oauth/create-oauth-client.usecase';
import { DeleteOAuthClientUseCase } from '../oauth/delete-oauth-client.usecase';
import { IssueTokenUseCase } from '../oauth/issue-token.usecase';
import { ListOAuthClientsUseCase } from '../oauth/list-oauth-clients.usecase';
import { GetJwksUseCase } from '../signing-keys/get-jwks.usecase';
import { RotateSigningKeyUseCase } from '../signing-keys/rotate-signing-key.usecase';
import { handleTokenCommands } from './token-commands';

/** The Kafka transport of security-manager: key verification and audit queries from the gateway. */
@Injectable()
export class SecurityCommandsConsumer {
  constructor(
    commands: ServiceCommandServer,
    verifyApiKey: VerifyApiKeyUseCase,
    listAudit: ListAuditUseCase,
    createClient: CreateOAuthClientUseCase,
    listClients: ListOAuthClientsUseCase,
    deleteClient: DeleteOAuthClientUseCase,
    issueToken: IssueTokenUseCase,
    jwks: GetJwksUseCase,
    rotateKey: RotateSigningKeyUseCase,
    createProvider: CreateIdentityProviderUseCase,
    listProviders: ListIdentityProvidersUseCase,
    deleteProvider: DeleteIdentityProviderUseCase,
    providerKeys: ProviderKeysUseCase,
  ) {
    handleTokenCommands(commands, {
      createClient,
      listClients,
      deleteClient,
      issueToken,
      jwks,
      rotateKey,
      createProvider,
      listProviders,
      deleteProvider,
      providerKeys,
    });
    commands
      .handle(MessageTypes.apiKeyVerify, VerifyApiKeyQuery, (query) => verifyApiKey.execute(query))
      .handle(MessageTypes.auditList, ListAuditPageQuery, (query, envelope) =>
        listAudit.execute(query, envelope.workspaceid),
      );
  }
}
