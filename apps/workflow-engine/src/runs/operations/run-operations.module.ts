import { Module } from '@nestjs/common';
import { RunsModule } from '../runs.module';
import { CancelRunUseCase } from './cancel-run.usecase';
import { HeldWorkModule } from '../store/held-work.module';
import { PauseResumeUseCase } from './pause-resume.usecase';
import { RetryRunUseCase } from './retry-run.usecase';
import { RunOperationFrame } from './run-lock';
import { RunOperationsHandlers } from './run-operations.handlers';

@Module({
  imports: [RunsModule, HeldWorkModule],
  providers: [
    RunOperationFrame,
    CancelRunUseCase,
    PauseResumeUseCase,
    RetryRunUseCase,
    RunOperationsHandlers,
  ],
  exports: [RunOperationsHandlers],
})
export class RunOperationsModule {}
