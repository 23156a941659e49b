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
import type { ServiceCommandServer } from '@baton/service-kit';
import type { CreateIdentityProviderUseCase } from '../identity-providers/create-identity-provider.usecase';
import type { DeleteIdentityProviderUseCase } from '../identity-providers/delete-identity-provider.usecase';
import type { ListIdentityProvidersUseCase } from '../identity-providers/list-identity-providers.usecase';
import type { ProviderKeysUseCase } from '../identity-providers/provider-keys.usecase';
import type { CreateOAuthClientUseCase } from '../oauth/create-oauth-client.usecase';
import type { DeleteOAuthClientUseCase } from '../oauth/delete-oauth-client.usecase';
import type { IssueTokenUseCase } from '../oauth/issue-token.usecase';
import type { ListOAuthClientsUseCase } from '../oauth/list-oauth-clients.usecase';
import type { GetJwksUseCase } from '../signing-keys/get-jwks.usecase';
import type { RotateSigningKeyUseCase } from '../signing-keys/rotate-signing-key.usecase';

export interface TokenUseCases {
  createClient: CreateOAuthClientUseCase;
  listClients: ListOAuthClientsUseCase;
  deleteClient: DeleteOAuthClientUseCase;
  issueToken: IssueTokenUseCase;
  jwks: GetJwksUseCase;
  rotateKey: RotateSigningKeyUseCase;
  createProvider: CreateIdentityProviderUseCase;
  listProviders: ListIdentityProvidersUseCase;
  deleteProvider: DeleteIdentityProviderUseCase;
  providerKeys: ProviderKeysUseCase;
}

/** What the gateway asks before there is a caller (token issue, key sets) runs in the system workspace. */
function systemOnly(envelope: Envelope): void {
  if (envelope.workspaceid !== 'system') {
    throw new DomainError(ErrorCodes.forbidden, 'this query is answered to the gateway only');
  }
}

/** Routes the OAuth, signing-key and identity-provider commands to their use cases. */
export function handleTokenCommands(commands: ServiceCommandServer, use: TokenUseCases): void {
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
    });
}
