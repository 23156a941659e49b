import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { RoutingModule } from '../routing/routing.module';
import { EventStoreConsumer } from './event-store.consumer';
import { EventsRepository } from '../event-store/events.repository';
import { EventSourcesUseCase } from './event-sources.usecase';
import { FollowEventsUseCase } from './follow-events.usecase';
import { ListEventsUseCase } from './list-events.usecase';
import { StoreEventsUseCase } from './store-events.usecase';

@Module({
  imports: [RoutingModule, AlertsModule],
  providers: [
    EventsRepository,
    StoreEventsUseCase,
    ListEventsUseCase,
    FollowEventsUseCase,
    EventSourcesUseCase,
    EventStoreConsumer,
  ],
  exports: [EventsRepository, ListEventsUseCase, FollowEventsUseCase, EventSourcesUseCase],
})
export class EventsModule {}
