import { Poller } from '@baton/database';
import { LOGGER } from '@baton/telemetry';
import { Inject, Injectable } from '@nestjs/common';
import { EventManagerEnv } from '../event-manager.env';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { ServiceStatusRepository } from '../platform-status/service-status.repository';
import { AlertsRepository } from './alerts.repository';
import { EvaluateAlertsUseCase } from './evaluate-alerts.usecase';

/** How often the evaluator also forgets old dead letters and status reports. */
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Evaluates every rule each ALERT_EVALUATION_INTERVAL_MS, in whichever
 * event-manager replica holds the evaluator lease (a row in Postgres, renewed
 * each round, valid for three intervals): one evaluator across replicas, and
 * another takes over within three intervals when it stops (ADR 0026).
 * Once an hour the same replica prunes the rows the self-watch figures are
 * read from (ADR 0032).
 */
@Injectable()
export class AlertEvaluator extends Poller {
  private readonly holder = randomUUID();
  private prunedAt = 0;

  constructor(
    evaluate: EvaluateAlertsUseCase,
    private readonly rules: AlertsRepository,
    private readonly deadLetters: DeadLettersRepository,
    private readonly services: ServiceStatusRepository,
    @Inject(LOGGER) logger: Logger,
    env: EventManagerEnv,
  ) {
    super({
      round: async () => {
        if (!(await rules.lease(this.holder, env.ALERT_EVALUATION_INTERVAL_MS * 3))) return;
        const changed = await evaluate.execute();
        if (changed > 0) logger.info({ changed }, 'alert rules changed state');
        await this.pruneHourly();
      },
      intervalMs: env.ALERT_EVALUATION_INTERVAL_MS,
      onError: (err) => logger.warn({ err }, 'alert evaluation failed; will retry'),
      delayFirstRound: true,
    });
  }

  private async pruneHourly(): Promise<void> {
    if (Date.now() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = Date.now();
    await Promise.all([this.deadLetters.prune(), this.services.prune()]);
  }

  override async onModuleDestroy(): Promise<void> {
    await super.onModuleDestroy();
    await this.rules.releaseLease(this.holder).catch(() => undefined);
  }
}
