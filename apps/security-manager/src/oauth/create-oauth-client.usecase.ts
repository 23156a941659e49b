import {
  DomainError,
  type CreatedOAuthClientView,
  type CreateOAuthClientCommand,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { auditCommand } from '../audit/audit-in-transaction';
import { newClientId, newClientSecret, secretDigest } from './client-credentials';
import { toOAuthClientView } from './oauth-client.view';
import { OAuthClientsRepository } from './oauth-clients.repository';

/** Active clients a workspace may have: bounds its list and what a compromised admin can mint. */
export const MAX_CLIENTS_PER_WORKSPACE = 100;

@Injectable()
export class CreateOAuthClientUseCase {
  constructor(
    private readonly clients: OAuthClientsRepository,
    private readonly uow: UnitOfWork,
  ) {}

  /** The secret is in this answer only; afterwards only its digest exists. */
  async execute(
    command: CreateOAuthClientCommand,
    workspaceId: string,
  ): Promise<CreatedOAuthClientView> {
    const secret = newClientSecret();
    return this.uow.run(async (tx) => {
      const client = await this.clients.insert(
        {
          workspaceId,
          clientId: newClientId(),
          name: command.name,
          role: command.role,
          secretHash: secretDigest(secret),
        },
        MAX_CLIENTS_PER_WORKSPACE,
        tx.manager,
      );
      if (!client) {
        throw new DomainError(
          'OAUTH_CLIENT.LIMIT',
          `this workspace already has ${MAX_CLIENTS_PER_WORKSPACE} OAuth clients; delete one first`,
        );
      }
      await auditCommand(tx.manager, {
        action: 'oauth-client.create',
        resource: `oauth-clients/${client.id}`,
        details: { client_id: client.clientId, name: client.name, role: client.role },
      });
      return { ...toOAuthClientView(client), client_secret: secret };
    });
  }
}
