import {
  DomainError,
  type CreateConnectionCommand,
  type CreateConnectionResult,
  type Envelope,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { SecretBox } from '@baton/service-kit';
import { secretsContext } from './connection.entity';
import { toConnectionView } from './connection.view';
import { ConnectionsRepository } from './connections.repository';

@Injectable()
export class CreateConnectionUseCase {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly box: SecretBox,
    private readonly uow: UnitOfWork,
  ) {}

  /** Creating an existing name replaces it, secrets included (PUT semantics: retrying is safe). */
  async execute(
    command: CreateConnectionCommand,
    request: Envelope,
  ): Promise<CreateConnectionResult> {
    const connector = this.connectors.get(command.connector);
    if (!connector)
      throw DomainError.invalid('connector', `unknown connector '${command.connector}'`);
    await connector.validateConfig(command.config);
    const secrets = command.secrets ?? {};
    for (const [name, value] of Object.entries(secrets)) {
      if (typeof value !== 'string')
        throw DomainError.invalid(`secrets.${name}`, 'must be a string');
    }
    const workspaceId = request.workspaceid;
    const sealed =
      Object.keys(secrets).length > 0
        ? this.box.seal(secrets, secretsContext(workspaceId, command.name))
        : null;
    const { created, connection } = await this.uow.run(async (tx) => {
      // Secret names only, never values.
      tx.audit(
        {
          action: 'connection.put',
          target: `connection/${command.name}`,
          details: { secrets: Object.keys(secrets) },
        },
        request,
      );
      return this.connections.upsert(
        {
          workspaceId,
          name: command.name,
          connector: connector.kind,
          config: command.config,
          secretsCiphertext: sealed,
        },
        tx.manager,
      );
    });
    return { created, connection: toConnectionView(connection) };
  }
}
