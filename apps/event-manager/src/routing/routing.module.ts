import { Module } from '@nestjs/common';
import { DeliveriesRepository } from './deliveries.repository';
import { RoutesRepository } from './routes.repository';
import { SubscriptionsRepository } from './subscriptions.repository';
import { TransformsRepository } from './transforms.repository';
import { DestinationChecks } from './destination-checks';
import { DestinationTopics } from './destination-topics';
import { DestinationTopicsRepository } from './destination-topics.repository';
import { DeliveryWakeup } from './delivery-wakeup';
import { EventRouter } from './event-router';
import { SigningSecrets } from './signing-secrets';

/** What the feature modules use; the destination topics are the checks' own. */
const SHARED = [
  SubscriptionsRepository,
  RoutesRepository,
  TransformsRepository,
  DeliveriesRepository,
  EventRouter,
  DeliveryWakeup,
  DestinationChecks,
  SigningSecrets,
];

/**
 * The routing state every feature reads: subscriptions, routes, transforms
 * and deliveries, and the router that turns stored events into deliveries.
 * Feature modules (store, dispatcher, replays, commands) import this one, so
 * none of them needs another.
 */
@Module({
  providers: [...SHARED, DestinationTopicsRepository, DestinationTopics],
  exports: SHARED,
})
export class RoutingModule {}
