import { Module } from '@nestjs/common';
import { WorkspaceLimitsRepository } from './workspace-limits.repository';
import { WorkspaceLimitsUseCase } from './workspace-limits.usecase';

@Module({
  providers: [WorkspaceLimitsRepository, WorkspaceLimitsUseCase],
  exports: [WorkspaceLimitsUseCase],
})
export class LimitsModule {}
