import type { PrincipalView } from '@baton/contracts';
import type { ApiKeyEntity } from './api-key.entity';

export function toPrincipalView(key: ApiKeyEntity): PrincipalView {
  return {
    principal: `apikey:${key.name}`,
    workspace_id: key.workspaceId,
    roles: key.roles,
    key_id: key.id,
    expires_at: key.expiresAt ? key.expiresAt.toISOString() : null,
    scopes: key.scopes,
  };
}
