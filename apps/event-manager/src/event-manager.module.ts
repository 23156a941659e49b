import { Topics } from '@baton/contracts';
import {
  DatabaseEnv,
  foundationModules,
  ResealModule,
  WorkspacePurgeModule,
  type ServiceContext,
} from '@baton/service-kit';
import { Module, type DynamicModule } from '@nestjs/common';
import { EventCommandsModule } from './commands/event-commands.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { DATABASE } from './event-manager.database';
import { EventsModule } from './events/events.module';
import { LogsModule } from './logs/logs.module';
import { SEALED_SIGNING_SECRETS } from './routing/signing-secrets';
import { WORKSPACE_TABLES } from './workspace-purge/workspace-tables';

/**
 * The event store (EventsModule) routes what it stores into deliveries;
 * the dispatcher (DeliveriesModule) performs them; EventCommandsModule serves the
 * API of subscriptions, transforms, routes, replays and retention.
 */
@Module({})
export class EventManagerModule {
  static forService(context: ServiceContext<DatabaseEnv>): DynamicModule {
    return {
      module: EventManagerModule,
      imports: [
        ...foundationModules(context, Topics.eventCommands, DATABASE, { sealsSecrets: true }),
        ResealModule.forColumns(SEALED_SIGNING_SECRETS),
        EventsModule,
        DeliveriesModule,
        EventCommandsModule,
        LogsModule,
        WorkspacePurgeModule.forTables(WORKSPACE_TABLES),
      ],
    };
  }
}
