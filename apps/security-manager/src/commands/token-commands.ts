import {
  CreateIdentityProviderCommand,
  CreateOAuthClientCommand,
  DomainError,
  EmptyQuery,
  ErrorCodes,
  IdentityProviderIdQuery,
  IssueTokenQuery,
  OAuthClientIdQuery,
  TokenMessageTypes as Types,
  type Envelope,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { CreateIdentityProviderUseCase } from '../identity-providers/create-identity-provider.usecase';
import { DeleteIdentityProviderUseCase } from '../identity-providers/delete-identity-provider.usecase';
import { ListIdentityProvidersUseCase } from '../identity-providers/list-identity-providers.usecase';
import { ProviderKeysUseCase } from '../identity-providers/provider-keys.usecase';
import { CreateOAuthClientUseCase } from '../oauth/create-oauth-client.usecase';
import { DeleteOAuthClientUseCase } from '../oauth/delete-oauth-client.usecase';
import { IssueTokenUseCase } from '../oauth/issue-token.usecase';
import { ListOAuthClientsUseCase } from '../oauth/list-oauth-clients.usecase';
import { GetRevocationsUseCase } from '../revocations/get-revocations.usecase';
import { GetJwksUseCase } from '../signing-keys/get-jwks.usecase';
import { RotateSigningKeyUseCase } from '../signing-keys/rotate-signing-key.usecase';

/** What the gateway asks before there is a caller (token issue, key sets) runs in the system workspace. */
function systemOnly(envelope: Envelope): void {
  if (envelope.workspaceid !== 'system') {
    throw new DomainError(ErrorCodes.forbidden, 'this query is answered to the gateway only');
  }
}

/** OAuth clients and tokens, signing keys and identity providers, routed to their use cases. */
@Injectable()
export class TokenCommands {
  constructor(
    commands: ServiceCommandServer,
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
    revocations: GetRevocationsUseCase,
  ) {
    const use = {
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
      revocations,
    };
    commands
      .handle(Types.oauthClientCreate, CreateOAuthClientCommand, (command, envelope) =>
        use.createClient.execute(command, envelope.workspaceid),
      )
      .handle(Types.oauthClientList, EmptyQuery, (_query, envelope) =>
        use.listClients.execute(envelope.workspaceid),
      )
      .handle(Types.oauthClientDelete, OAuthClientIdQuery, async (query, envelope) => {
        await use.deleteClient.execute(query, envelope.workspaceid);
        return {};
      })
      .handle(Types.tokenIssue, IssueTokenQuery, (query, envelope) => {
        systemOnly(envelope);
        return use.issueToken.execute(query);
      })
      .handle(Types.jwksGet, EmptyQuery, () => use.jwks.execute())
      .handle(Types.signingKeyRotate, EmptyQuery, () => use.rotateKey.execute())
      .handle(Types.identityProviderCreate, CreateIdentityProviderCommand, (command, envelope) =>
        use.createProvider.execute(command, envelope.workspaceid),
      )
      .handle(Types.identityProviderList, EmptyQuery, (_query, envelope) =>
        use.listProviders.execute(envelope.workspaceid),
      )
      .handle(Types.identityProviderDelete, IdentityProviderIdQuery, async (query, envelope) => {
        await use.deleteProvider.execute(query, envelope.workspaceid);
        return {};
      })
      .handle(Types.identityProviderDirectory, EmptyQuery, async (_query, envelope) => {
        systemOnly(envelope);
        return use.listProviders.directory();
      })
      .handle(Types.identityProviderJwks, IdentityProviderIdQuery, async (query, envelope) => {
        systemOnly(envelope);
        return use.providerKeys.execute(query);
      })
      .handle(Types.revocationsSnapshot, EmptyQuery, (_query, envelope) => {
        systemOnly(envelope);
        return use.revocations.execute();
      });
  }
}
