import { TOKEN_CLAIMS, type IssueTokenQuery, type TokenReply } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { isLastUsedStale } from '../api-keys/api-key-hash';
import { WorkspacesRepository } from '../workspaces/workspaces.repository';
import { TokenSigner } from '../signing-keys/token-signer';
import { digestsEqual } from './client-credentials';
import { OAuthClientsRepository } from './oauth-clients.repository';

/**
 * RFC 6749 §4.4: a client's own credentials buy a short-lived access token
 * holding its workspace and role. Unknown client, deleted client and wrong
 * secret get one answer, so a caller cannot tell which it was.
 */
@Injectable()
export class IssueTokenUseCase {
  constructor(
    private readonly clients: OAuthClientsRepository,
    private readonly signer: TokenSigner,
    private readonly workspaces: WorkspacesRepository,
  ) {}

  async execute(query: IssueTokenQuery): Promise<TokenReply> {
    const client = await this.clients.findActiveByClientId(query.client_id);
    if (!client || !digestsEqual(client.secretHash, query.client_secret_digest)) {
      return { error: 'invalid_client', error_description: 'client authentication failed' };
    }
    // A deleted workspace's clients get no token (the client holds the secret: it may learn why).
    const workspace = await this.workspaces.find(client.workspaceId);
    if (!workspace || workspace.deletedAt) {
      return {
        error: 'invalid_client',
        error_description: 'the workspace of this client was deleted',
      };
    }
    if (isLastUsedStale(client.lastUsedAt, new Date())) await this.clients.touch(client.id);
    const { token, expiresIn } = await this.signer.sign(`oauth-client:${client.clientId}`, {
      [TOKEN_CLAIMS.workspace]: client.workspaceId,
      [TOKEN_CLAIMS.role]: client.role,
      [TOKEN_CLAIMS.clientId]: client.clientId,
    });
    return { access_token: token, token_type: 'Bearer', expires_in: expiresIn };
  }
}
