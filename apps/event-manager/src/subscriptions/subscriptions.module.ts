import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { CreateSubscriptionUseCase } from './create-subscription.usecase';
import { SubscriptionCommandsHandlers } from './subscription-commands.handlers';

@Module({
  imports: [RoutingModule],
  providers: [CreateSubscriptionUseCase, SubscriptionCommandsHandlers],
  exports: [SubscriptionCommandsHandlers],
})
export class SubscriptionsModule {}
