import {
  DomainError,
  ErrorCodes,
  type CreatedOAuthClientView,
  type CreateOAuthClientCommand,
} from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { newClientId, newClientSecret, secretDigest } from './client-credentials';
import { toOAuthClientView } from './oauth-client.view';
import { OAuthClientsRepository } from './oauth-clients.repository';

/** Active clients a workspace may have: bounds its list and what a compromised admin can mint. */
export const MAX_CLIENTS_PER_WORKSPACE = 100;

@Injectable()
export class CreateOAuthClientUseCase {
  constructor(private readonly clients: OAuthClientsRepository) {}

  /** The secret is in this answer only; afterwards only its digest exists. */
  async execute(
    command: CreateOAuthClientCommand,
    workspaceId: string,
  ): Promise<CreatedOAuthClientView> {
    const secret = newClientSecret();
    const client = await this.clients.insert(
      {
        workspaceId,
        clientId: newClientId(),
        name: command.name,
        role: command.role,
        secretHash: secretDigest(secret),
      },
      MAX_CLIENTS_PER_WORKSPACE,
    );
    if (!client) {
      throw new DomainError(
        ErrorCodes.conflict,
        `this workspace already has ${MAX_CLIENTS_PER_WORKSPACE} OAuth clients; delete one first`,
      );
    }
    return { ...toOAuthClientView(client), client_secret: secret };
  }
}
