import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { EventManagerEnv } from '../event-manager.env';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { AlertsRepository } from './alerts.repository';
import { EvaluateAlertsUseCase } from './evaluate-alerts.usecase';

/**
 * Evaluates every rule each ALERT_EVALUATION_INTERVAL_MS, in whichever
 * event-manager replica holds the evaluator lease (a row in Postgres, renewed
 * each round, valid for three intervals): one evaluator across replicas, and
 * another takes over within three intervals when it stops (ADR 0026).
 */
@Injectable()
export class AlertEvaluator extends Poller {
  private readonly holder = randomUUID();

  constructor(
    evaluate: EvaluateAlertsUseCase,
    private readonly rules: AlertsRepository,
    @Inject(LOGGER) logger: Logger,
    env: EventManagerEnv,
  ) {
    super({
      round: async () => {
        if (!(await rules.lease(this.holder, env.ALERT_EVALUATION_INTERVAL_MS * 3))) return;
        const changed = await evaluate.execute();
        if (changed > 0) logger.info({ changed }, 'alert rules changed state');
      },
      intervalMs: env.ALERT_EVALUATION_INTERVAL_MS,
      onError: (err) => logger.warn({ err }, 'alert evaluation failed; will retry'),
      delayFirstRound: true,
    });
  }

  override async onModuleDestroy(): Promise<void> {
    await super.onModuleDestroy();
    await this.rules.releaseLease(this.holder).catch(() => undefined);
  }
}
