import type { ConnectionView } from '@baton/contracts';
import type { ConnectionEntity } from './connection.entity';

/** Never the secrets: only whether there are some. */
export function toConnectionView(connection: ConnectionEntity): ConnectionView {
  return {
    name: connection.name,
    connector: connection.connector,
    config: connection.config,
    has_secrets: connection.secretsCiphertext !== null,
    created_at: connection.createdAt.toISOString(),
    updated_at: connection.updatedAt.toISOString(),
  };
}
