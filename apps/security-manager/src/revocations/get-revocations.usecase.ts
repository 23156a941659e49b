import type { RevocationsView } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { OAuthClientsRepository } from '../oauth/oauth-clients.repository';
import { REVOCATION_MARGIN_SECONDS } from '../oauth/delete-oauth-client.usecase';
import { TokenSettings } from '../signing-keys/token-settings';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';

/**
 * What a gateway must refuse among the tokens it verifies on its own: it
 * loads this at start, after it may have missed revocation messages, and
 * every minute; the messages on baton.security.revocations add to it at once.
 */
@Injectable()
export class GetRevocationsUseCase {
  constructor(
    private readonly workspaces: WorkspacesRepository,
    private readonly clients: OAuthClientsRepository,
    private readonly settings: TokenSettings,
  ) {}

  async execute(now = new Date()): Promise<RevocationsView> {
    const lifetimeMs = (this.settings.ttlSeconds + REVOCATION_MARGIN_SECONDS) * 1000;
    const [deleted, clients] = await Promise.all([
      this.workspaces.deletedIds(),
      this.clients.deletedSince(new Date(now.getTime() - lifetimeMs)),
    ]);
    return {
      deleted_workspaces: deleted,
      revoked_clients: clients.map((client) => ({
        client_id: client.clientId,
        until: new Date(client.deletedAt.getTime() + lifetimeMs).toISOString(),
      })),
    };
  }
}
