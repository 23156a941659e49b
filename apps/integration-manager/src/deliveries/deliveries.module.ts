import { Module } from '@nestjs/common';
import { DeliveriesRepository } from './deliveries.repository';

@Module({ providers: [DeliveriesRepository], exports: [DeliveriesRepository] })
export class DeliveriesModule {}
