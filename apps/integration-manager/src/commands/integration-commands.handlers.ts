import {
  ConnectionRef,
  CreateConnectionCommand,
  DomainError,
  TestConnectionCommand,
  UpdateConnectionCommand,
  ListDeliveriesQuery,
  ReceiveHookCommand,
  MessageTypes,
  onePage,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { toConnectionView } from '../connections/connection.view';
import { ConnectionsRepository } from '../connections/connections.repository';
import { CreateConnectionUseCase } from '../connections/create-connection.usecase';
import { DeleteConnectionUseCase } from '../connections/delete-connection.usecase';
import { TestConnectionUseCase } from '../connections/test-connection.usecase';
import { UpdateConnectionUseCase } from '../connections/update-connection.usecase';
import { ConnectorRegistry } from '../connectors/connector-registry';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { toDeliveryView } from '../deliveries/delivery.view';
import { ReceiveHookUseCase } from '../hooks/receive-hook.usecase';

/** `connection.list`, optionally narrowed to one connector kind. */
class ListConnectionsQuery {
  @IsOptional()
  @IsString()
  connector?: string;
}

/** The Kafka transport of integration-manager: connection and delivery commands from the gateway. */
@Injectable()
export class IntegrationCommandsHandlers extends CommandHandlers {
  constructor(
    private readonly createConnection: CreateConnectionUseCase,
    private readonly updateConnection: UpdateConnectionUseCase,
    private readonly deleteConnection: DeleteConnectionUseCase,
    private readonly testConnection: TestConnectionUseCase,
    private readonly connections: ConnectionsRepository,
    private readonly connectors: ConnectorRegistry,
    private readonly deliveries: DeliveriesRepository,
    private readonly receiveHook: ReceiveHookUseCase,
  ) {
    super();
  }

  register(commands: CommandRegistry): void {
    commands
      .handle(MessageTypes.connectionCreate, CreateConnectionCommand, (command, envelope) =>
        this.createConnection.execute(command, envelope),
      )
      .handle(MessageTypes.connectionList, ListConnectionsQuery, async (query, envelope) =>
        onePage(
          (await this.connections.list(envelope.workspaceid, query.connector)).map(
            toConnectionView,
          ),
        ),
      )
      .handle(MessageTypes.connectionGet, ConnectionRef, async (query, envelope) => {
        const connection = await this.connections.find(envelope.workspaceid, query.name);
        if (!connection) throw DomainError.notFound('connection', query.name);
        return toConnectionView(connection);
      })
      .handle(MessageTypes.connectionUpdate, UpdateConnectionCommand, (command, envelope) =>
        this.updateConnection.execute(command, envelope),
      )
      .handle(MessageTypes.connectionDelete, ConnectionRef, (command, envelope) =>
        this.deleteConnection.execute(command, envelope),
      )
      // Waits on the connection's target, up to its timeout: beside the partition.
      .handleDetached(MessageTypes.connectionTest, TestConnectionCommand, (command, envelope) =>
        this.testConnection.execute(command, envelope),
      )
      .handle(MessageTypes.connectionHealth, ConnectionRef, (query, envelope) =>
        this.testConnection.health(query, envelope),
      )
      // May ask the target (an MCP server's tools, an OpenAPI document): beside the partition.
      .handleDetached(MessageTypes.connectionOperations, ConnectionRef, (query, envelope) =>
        this.testConnection.operations(query, envelope),
      )
      .handle(MessageTypes.connectorList, ListConnectionsQuery, async () =>
        onePage(this.connectors.describe()),
      )
      .handle(MessageTypes.hookReceive, ReceiveHookCommand, (command, envelope) =>
        this.receiveHook.execute(command, envelope),
      )
      .handle(MessageTypes.deliveryList, ListDeliveriesQuery, async (query, envelope) =>
        onePage(
          (await this.deliveries.list(envelope.workspaceid, query.run_id)).map(toDeliveryView),
        ),
      );
  }
}
