import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { ReplayWakeup } from './replay-wakeup';
import { RunReplayUseCase } from './run-replay.usecase';

/** How long one replay is worked on before the others get a turn. */
const SLICE_MS = 5_000;

/** Picks up running replays (new ones, and those a stopped process left behind). */
@Injectable()
export class ReplayWorker extends Poller {
  constructor(runReplay: RunReplayUseCase, wakeup: ReplayWakeup, @Inject(LOGGER) logger: Logger) {
    super({
      round: () => {
        const until = Date.now() + SLICE_MS;
        return runReplay.execute(() => this.loop.isRunning && Date.now() < until);
      },
      intervalMs: 500,
      onError: (err) => logger.warn({ err }, 'replay step failed; will retry'),
      wakeup,
    });
  }
}
