import { Module } from '@nestjs/common';
import { EnforceRetentionUseCase } from './enforce-retention.usecase';
import { RetentionCommandsHandlers } from './retention-commands.handlers';
import { RetentionPoller } from './retention.poller';
import { RetentionRepository } from './retention.repository';

@Module({
  providers: [
    RetentionRepository,
    EnforceRetentionUseCase,
    RetentionPoller,
    RetentionCommandsHandlers,
  ],
  exports: [RetentionCommandsHandlers],
})
export class RetentionModule {}
