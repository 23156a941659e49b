import { DatabaseModule } from '@baton/database';
import { DatabaseEnv, ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { EventsModule } from './events/events.module';
import { StoredEventEntity } from './events/stored-event.entity';
import { EventStore1732435200005 } from './migrations/1732435200005-event-store';

// Subscriptions, routes, transforms, replays and alert rules arrive as sibling
// feature modules; each reads the store through EventsModule's exports.
@Module({})
export class EventManagerModule {
  static forEnv(env: DatabaseEnv, logger: Logger): DynamicModule {
    return {
      module: EventManagerModule,
      imports: [
        ServiceKitModule.forService('event-manager', env, logger),
        DatabaseModule.forService({
          schema: 'event_manager',
          entities: [StoredEventEntity],
          migrations: [EventStore1732435200005],
        }),
        EventsModule,
      ],
    };
  }
}
