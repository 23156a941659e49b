import { DomainError, EventIdQuery, ListEventsQuery, MessageTypes, Topics } from '@baton/contracts';
import { BatonKafka, CommandServer } from '@baton/kafka';
import { Readiness } from '@baton/service-kit';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type { Logger } from 'pino';
import { EventsRepository } from './events.repository';
import { ListEventsUseCase } from './list-events.usecase';
import { toStoredEventView } from './stored-event.view';

/** The Kafka transport of the event store's queries; always scoped to the request's workspace. */
@Injectable()
export class EventsConsumer implements OnModuleInit, OnModuleDestroy {
  private readonly server: CommandServer;

  constructor(
    @Inject(BatonKafka) kafka: BatonKafka,
    @Inject(LOGGER) logger: Logger,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly listEvents: ListEventsUseCase,
    private readonly events: EventsRepository,
  ) {
    this.server = new CommandServer(kafka, {
      service: 'event-manager',
      groupId: 'baton-event-manager-commands',
      topic: Topics.eventCommands,
      dlqTopic: Topics.dlq('event-manager'),
      log: (level, message, extra) => logger[level](extra, message),
    })
      .handle(MessageTypes.eventList, ListEventsQuery, (query, envelope) =>
        this.listEvents.execute(query, envelope.workspaceid),
      )
      .handle(MessageTypes.eventGet, EventIdQuery, async (query, envelope) => {
        const event = await this.events.find(envelope.workspaceid, query.id);
        if (!event) throw DomainError.notFound('event', query.id);
        return toStoredEventView(event);
      });
  }

  async onModuleInit(): Promise<void> {
    this.readiness.register('event-commands', () => this.server.isJoined);
    await this.server.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.server.stop();
  }
}
