import { DomainError, type ConnectionRef, type Envelope } from '@baton/contracts';
import { UnitOfWork } from '@baton/database';
import { Injectable } from '@nestjs/common';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { ConnectionsRepository } from './connections.repository';

@Injectable()
export class DeleteConnectionUseCase {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly uow: UnitOfWork,
  ) {}

  /** Deletes the connection and releases its pools and tokens here; its deliveries stay queryable. */
  async execute(command: ConnectionRef, request: Envelope): Promise<{ deleted: true }> {
    const workspaceId = request.workspaceid;
    await this.uow.run(async (tx) => {
      if (!(await this.connections.delete(workspaceId, command.name, tx.manager))) {
        throw DomainError.notFound('connection', command.name);
      }
      tx.audit({ action: 'connection.delete', target: `connection/${command.name}` }, request);
    });
    await this.connectors.release(`${workspaceId}/${command.name}`);
    return { deleted: true };
  }
}
