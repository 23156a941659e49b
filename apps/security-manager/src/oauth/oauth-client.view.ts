import type { OAuthClientView } from '@baton/contracts';
import type { OAuthClientEntity } from './oauth-client.entity';

export function toOAuthClientView(client: OAuthClientEntity): OAuthClientView {
  return {
    id: client.id,
    client_id: client.clientId,
    name: client.name,
    role: client.role,
    created_at: client.createdAt.toISOString(),
    last_used_at: client.lastUsedAt?.toISOString() ?? null,
  };
}
