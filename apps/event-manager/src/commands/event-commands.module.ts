import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { EventsModule } from '../events/events.module';
import { ReplaysModule } from '../replays/replays.module';
import { RetentionModule } from '../retention/retention.module';
import { RoutesModule } from '../routes/routes.module';
import { RoutingModule } from '../routing/routing.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { TransformsModule } from '../transforms/transforms.module';
import { EventQueriesHandlers } from './event-queries.handlers';

/**
 * The features that answer event-manager's commands, each with its own
 * handler set (found by ServiceCommandServer), and the stored events' queries.
 */
@Module({
  imports: [
    RoutingModule,
    EventsModule,
    SubscriptionsModule,
    TransformsModule,
    RoutesModule,
    ReplaysModule,
    RetentionModule,
    AlertsModule,
  ],
  providers: [EventQueriesHandlers],
})
export class EventCommandsModule {}
