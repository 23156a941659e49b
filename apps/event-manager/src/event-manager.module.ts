import { DatabaseModule } from '@baton/database';
import { DATABASE } from './event-manager.database';
import { DatabaseEnv, ServiceKitModule } from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { EventsModule } from './events/events.module';

// Subscriptions, routes, transforms, replays and alert rules arrive as sibling
// feature modules; each reads the store through EventsModule's exports.
@Module({})
export class EventManagerModule {
  static forEnv(env: DatabaseEnv, logger: Logger): DynamicModule {
    return {
      module: EventManagerModule,
      imports: [
        ServiceKitModule.forService('event-manager', env, logger),
        DatabaseModule.forService(DATABASE),
        EventsModule,
      ],
    };
  }
}
