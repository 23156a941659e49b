import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { AdmitQueuedUseCase } from './admit-queued.usecase';
import { RunAdmission } from './run-admission';

/**
 * Admits queued runs (ADR 0041). Woken when runs end while others wait;
 * the pause covers what this process cannot hear: runs ended by another
 * engine, and queued runs left by a crash or a restart.
 */
@Injectable()
export class AdmissionPoller extends Poller {
  constructor(admit: AdmitQueuedUseCase, admission: RunAdmission, @Inject(LOGGER) logger: Logger) {
    super({
      round: () => admit.execute(),
      intervalMs: 250,
      wakeup: admission,
      onError: (err) => logger.warn({ err }, 'admitting queued runs failed; will retry'),
    });
  }
}
