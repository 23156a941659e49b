import { Module } from '@nestjs/common';
import { RoutingModule } from '../routing/routing.module';
import { CreateReplayUseCase } from './create-replay.usecase';
import { ReplayCommandsHandlers } from './replay-commands.handlers';
import { ReplayViews } from './replay.view';
import { ReplayWakeup } from './replay-wakeup';
import { ReplayWorker } from './replay.worker';
import { ReplaysRepository } from './replays.repository';
import { RunReplayUseCase } from './run-replay.usecase';

@Module({
  imports: [RoutingModule],
  providers: [
    ReplaysRepository,
    ReplayViews,
    ReplayWakeup,
    CreateReplayUseCase,
    RunReplayUseCase,
    ReplayWorker,
    ReplayCommandsHandlers,
  ],
  exports: [ReplayCommandsHandlers],
})
export class ReplaysModule {}
