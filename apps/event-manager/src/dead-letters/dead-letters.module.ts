import { Module } from '@nestjs/common';
import { DeadLettersConsumer } from './dead-letters.consumer';
import { DeadLettersRepository } from './dead-letters.repository';

/** What the baton.dlq.* topics hold, counted for alert rules (docs/alerts.md). */
@Module({
  providers: [DeadLettersRepository, DeadLettersConsumer],
  exports: [DeadLettersRepository],
})
export class DeadLettersModule {}
