import { onePage, type OAuthClientView, type Page } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { toOAuthClientView } from './oauth-client.view';
import { OAuthClientsRepository } from './oauth-clients.repository';

@Injectable()
export class ListOAuthClientsUseCase {
  constructor(private readonly clients: OAuthClientsRepository) {}

  /** One page: a workspace has at most MAX_CLIENTS_PER_WORKSPACE clients. */
  async execute(workspaceId: string): Promise<Page<OAuthClientView>> {
    const clients = await this.clients.list(workspaceId);
    return onePage(clients.map(toOAuthClientView));
  }
}
