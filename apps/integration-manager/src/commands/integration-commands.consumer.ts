import {
  CreateConnectionCommand,
  ListDeliveriesQuery,
  MessageTypes,
  Topics,
  type ConnectionView,
  type DeliveryView,
  type Page,
} from '@baton/contracts';
import { BatonKafka, CommandServer } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { IsOptional, IsString } from 'class-validator';
import type { Logger } from 'pino';
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
export class IntegrationCommandsConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly server: CommandServer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    createConnection: CreateConnectionUseCase,
    connections: ConnectionsRepository,
    deliveries: DeliveriesRepository,
  ) {
    this.server = new CommandServer(kafka, {
      service: 'integration-manager',
      groupId: 'baton-integration-manager-commands',
      topic: Topics.integrationCommands,
      dlqTopic: Topics.dlq('integration-manager'),
      log: (level, message, extra) => logger[level](extra, message),
    })
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

  async onModuleInit(): Promise<void> {
    this.readiness.register('integration-commands', () => this.server.isJoined);
    await this.server.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.server.stop();
  }
}
