import { DomainError, ErrorCodes, type OAuthClientIdQuery } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { OAuthClientsRepository } from './oauth-clients.repository';

@Injectable()
export class DeleteOAuthClientUseCase {
  constructor(private readonly clients: OAuthClientsRepository) {}

  /**
   * No new token is issued to it; tokens already issued stay valid until they
   * expire (BATON_TOKEN_TTL_SECONDS), as verification is local to the gateway.
   * Another workspace's client is "not found", so its existence does not leak.
   */
  async execute(query: OAuthClientIdQuery, workspaceId: string): Promise<void> {
    if (!(await this.clients.delete(workspaceId, query.id))) {
      throw new DomainError(ErrorCodes.notFound, `no OAuth client '${query.id}'`);
    }
  }
}
