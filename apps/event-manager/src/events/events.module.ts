import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { RoutingModule } from '../routing/routing.module';
import { EventStoreConsumer } from './event-store.consumer';
import { EventsRepository } from './events.repository';
import { ListEventsUseCase } from './list-events.usecase';
import { StoreEventsUseCase } from './store-events.usecase';

@Module({
  imports: [RoutingModule, AlertsModule],
  providers: [EventsRepository, StoreEventsUseCase, ListEventsUseCase, EventStoreConsumer],
  exports: [EventsRepository, ListEventsUseCase],
})
export class EventsModule {}
