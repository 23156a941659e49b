import { DomainError, type ConnectionRef, type Envelope } from '@baton/contracts';
import { Injectable } from '@nestjs/common';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { ConnectionsRepository } from './connections.repository';

@Injectable()
export class DeleteConnectionUseCase {
  constructor(
    private readonly connections: ConnectionsRepository,
    private readonly connectors: ConnectorRegistry,
  ) {}

  /** Deletes the connection and releases its pools and tokens here; its deliveries stay queryable. */
  async execute(command: ConnectionRef, request: Envelope): Promise<{ deleted: true }> {
    const workspaceId = request.workspaceid;
    if (!(await this.connections.delete(workspaceId, command.name))) {
      throw DomainError.notFound('connection', command.name);
    }
    await this.connectors.release(`${workspaceId}/${command.name}`);
    return { deleted: true };
  }
}
