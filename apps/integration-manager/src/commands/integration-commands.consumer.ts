import {
  CreateConnectionCommand,
  ListDeliveriesQuery,
  MessageTypes,
  type ConnectionView,
  type DeliveryView,
  type Page,
} from '@baton/contracts';
import { ServiceCommandServer } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import { toConnectionView } from '../connections/connection.view';
import { ConnectionsRepository } from '../connections/connections.repository';
import { CreateConnectionUseCase } from '../connections/create-connection.usecase';
import { DeliveriesRepository } from '../deliveries/deliveries.repository';
import { toDeliveryView } from '../deliveries/delivery.view';

/** `connection.list`, optionally narrowed to one connector kind. */
class ListConnectionsQuery {
  @IsOptional()
  @IsString()
  connector?: string;
}

/** The Kafka transport of integration-manager: connection and delivery commands from the gateway. */
@Injectable()
export class IntegrationCommandsConsumer {
  constructor(
    commands: ServiceCommandServer,
    createConnection: CreateConnectionUseCase,
    connections: ConnectionsRepository,
    deliveries: DeliveriesRepository,
  ) {
    commands
      .handle(MessageTypes.connectionCreate, CreateConnectionCommand, (command, envelope) =>
        createConnection.execute(command, envelope),
      )
      .handle(
        MessageTypes.connectionList,
        ListConnectionsQuery,
        async (query, envelope): Promise<Page<ConnectionView>> => ({
          items: (await connections.list(envelope.workspaceid, query.connector)).map(
            toConnectionView,
          ),
          next_cursor: null,
        }),
      )
      .handle(
        MessageTypes.deliveryList,
        ListDeliveriesQuery,
        async (query, envelope): Promise<Page<DeliveryView>> => ({
          items: (await deliveries.list(envelope.workspaceid, query.run_id)).map(toDeliveryView),
          next_cursor: null,
        }),
      );
  }
}
