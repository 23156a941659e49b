import { SecretBox } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { secretsContext, type ConnectionEntity } from './connection.entity';

/** Seals and opens a connection's secrets, bound to its workspace and name. */
@Injectable()
export class ConnectionSecrets {
  constructor(private readonly box: SecretBox) {}

  seal(workspaceId: string, name: string, secrets: Record<string, string>): string | null {
    return Object.keys(secrets).length > 0
      ? this.box.seal(secrets, secretsContext(workspaceId, name))
      : null;
  }

  /** The secrets, or undefined when they cannot be opened (the key changed). */
  open(connection: ConnectionEntity): Record<string, string> | undefined {
    if (connection.secretsCiphertext === null) return {};
    try {
      const secrets = this.box.open(
        connection.secretsCiphertext,
        secretsContext(connection.workspaceId, connection.name),
      );
      return typeof secrets === 'object' && secrets !== null
        ? (secrets as Record<string, string>)
        : undefined;
    } catch {
      return undefined;
    }
  }
}
