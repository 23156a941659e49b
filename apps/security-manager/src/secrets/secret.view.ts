import type { SecretView } from '@baton/contracts';
import { SecretBox } from '@baton/service-kit';
import type { SecretEntity } from './secret.entity';

/** What the API shows of a secret: never the value, not even sealed. */
export function toSecretView(secret: SecretEntity): SecretView {
  return {
    name: secret.name,
    key_id: SecretBox.keyIdOf(secret.sealed) ?? 'unknown',
    created_at: secret.createdAt.toISOString(),
    updated_at: secret.updatedAt.toISOString(),
  };
}
