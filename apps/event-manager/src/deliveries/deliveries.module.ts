import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { DeliverRoundUseCase } from './deliver-round.usecase';
import { DeliveryGauges } from './delivery-gauges';
import { DeliveryJobs } from './delivery-jobs';
import { DeliveryDispatcher } from './delivery.dispatcher';
import { WebhookSender } from './webhook-sender';

@Module({
  imports: [RoutingModule],
  providers: [DeliveryJobs, WebhookSender, DeliverRoundUseCase, DeliveryDispatcher, DeliveryGauges],
})
export class DeliveriesModule {}
