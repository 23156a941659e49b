import {
  type CreateConnectionCommand,
  type CreateConnectionResult,
  type Envelope,
} from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { ConnectionSecrets } from './connection-secrets';
import { toConnectionView } from './connection.view';
import { ConnectionsRepository } from './connections.repository';

@Injectable()
export class CreateConnectionUseCase {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly secrets: ConnectionSecrets,
    private readonly uow: UnitOfWork,
  ) {}

  /** Creating an existing name replaces it, secrets included (PUT semantics: retrying is safe). */
  async execute(
    command: CreateConnectionCommand,
    request: Envelope,
  ): Promise<CreateConnectionResult> {
    const secrets = command.secrets ?? {};
    const connector = await this.connectors.validate(command.connector, command.config, secrets);
    const workspaceId = request.workspaceid;
    const sealed = this.secrets.seal(workspaceId, command.name, secrets);
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
    await this.connectors.release(`${workspaceId}/${command.name}`);
    return { created, connection: toConnectionView(connection) };
  }
}
