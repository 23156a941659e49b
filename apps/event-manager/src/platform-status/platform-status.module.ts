import { Module } from '@nestjs/common';
import { PlatformStatusConsumer } from './platform-status.consumer';
import { ServiceStatusRepository } from './service-status.repository';

/** Every service replica's latest readiness and consumer lag, for the self-watch rules. */
@Module({
  providers: [ServiceStatusRepository, PlatformStatusConsumer],
  exports: [ServiceStatusRepository],
})
export class PlatformStatusModule {}
