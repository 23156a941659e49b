import {
  CreateIdentityProviderMessage,
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
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
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
export class TokenCommands extends CommandHandlers {
  constructor(
    private readonly createClient: CreateOAuthClientUseCase,
    private readonly listClients: ListOAuthClientsUseCase,
    private readonly deleteClient: DeleteOAuthClientUseCase,
    private readonly issueToken: IssueTokenUseCase,
    private readonly jwks: GetJwksUseCase,
    private readonly rotateKey: RotateSigningKeyUseCase,
    private readonly createProvider: CreateIdentityProviderUseCase,
    private readonly listProviders: ListIdentityProvidersUseCase,
    private readonly deleteProvider: DeleteIdentityProviderUseCase,
    private readonly providerKeys: ProviderKeysUseCase,
    private readonly revocations: GetRevocationsUseCase,
  ) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands
      .handle(Types.oauthClientCreate, CreateOAuthClientCommand, (command, envelope) =>
        this.createClient.execute(command, envelope.workspaceid),
      )
      .handle(Types.oauthClientList, EmptyQuery, (_query, envelope) =>
        this.listClients.execute(envelope.workspaceid),
      )
      .handle(Types.oauthClientDelete, OAuthClientIdQuery, async (query, envelope) => {
        await this.deleteClient.execute(query, envelope.workspaceid);
        return {};
      })
      .handle(Types.tokenIssue, IssueTokenQuery, (query, envelope) => {
        systemOnly(envelope);
        return this.issueToken.execute(query);
      })
      .handle(Types.jwksGet, EmptyQuery, () => this.jwks.execute())
      .handle(Types.signingKeyRotate, EmptyQuery, () => this.rotateKey.execute())
      .handle(Types.identityProviderCreate, CreateIdentityProviderMessage, (command, envelope) =>
        this.createProvider.execute(command, envelope.workspaceid),
      )
      .handle(Types.identityProviderList, EmptyQuery, (_query, envelope) =>
        this.listProviders.execute(envelope.workspaceid),
      )
      .handle(Types.identityProviderDelete, IdentityProviderIdQuery, async (query, envelope) => {
        await this.deleteProvider.execute(query, envelope.workspaceid);
        return {};
      })
      .handle(Types.identityProviderDirectory, EmptyQuery, async (_query, envelope) => {
        systemOnly(envelope);
        return this.listProviders.directory();
      })
      .handle(Types.identityProviderJwks, IdentityProviderIdQuery, async (query, envelope) => {
        systemOnly(envelope);
        return this.providerKeys.execute(query);
      })
      .handle(Types.revocationsSnapshot, EmptyQuery, (_query, envelope) => {
        systemOnly(envelope);
        return this.revocations.execute();
      });
  }
}
