import { Module } from '@nestjs/common';
import { HeartbeatsConsumer } from './heartbeats.consumer';

@Module({ providers: [HeartbeatsConsumer] })
export class InstancesModule {}
