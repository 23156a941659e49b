import { Module } from '@nestjs/common';
import { EventStoreConsumer } from './event-store.consumer';
import { EventsConsumer } from './events.consumer';
import { EventsRepository } from './events.repository';
import { ListEventsUseCase } from './list-events.usecase';
import { StoreEventsUseCase } from './store-events.usecase';

// Retention goes here next: a poller (like workflow-engine's TimersPoller) that
// deletes events past each workspace's horizon by received_at, in bounded
// chunks, through EventsRepository. Replay will read the store through the
// exported repository.
@Module({
  providers: [
    EventsRepository,
    StoreEventsUseCase,
    ListEventsUseCase,
    EventStoreConsumer,
    EventsConsumer,
  ],
  exports: [EventsRepository],
})
export class EventsModule {}
