import { Module } from '@nestjs/common';
import { AlertsModule } from '../alerts/alerts.module';
import { EventsModule } from '../events/events.module';
import { ReplaysModule } from '../replays/replays.module';
import { RetentionModule } from '../retention/retention.module';
import { RoutesModule } from '../routes/routes.module';
import { RoutingModule } from '../routing/routing.module';
import { SubscriptionsModule } from '../subscriptions/subscriptions.module';
import { TransformsModule } from '../transforms/transforms.module';
import { EventCommandsConsumer } from './event-commands.consumer';

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
  providers: [EventCommandsConsumer],
})
export class EventCommandsModule {}
