import type { ApiKeyView } from '@baton/contracts';
import type { ApiKeyEntity } from './api-key.entity';
import { keyStatus } from './key-policy';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** A key as listed: its prefix, never the key or its hash. */
export function toApiKeyView(key: ApiKeyEntity, now = new Date()): ApiKeyView {
  return {
    id: key.id,
    name: key.name,
    prefix: key.prefix,
    role: key.roles[0] ?? '',
    scopes: key.scopes,
    status: keyStatus(key, now),
    created_at: key.createdAt.toISOString(),
    created_by: key.createdBy,
    last_used_at: iso(key.lastUsedAt),
    expires_at: iso(key.expiresAt),
    revoked_at: iso(key.revokedAt),
    replaced_by: key.replacedBy,
  };
}
