import {
  createEnvelope,
  PlatformStatusType,
  Topics,
  type PlatformStatusMessage,
} from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { LOGGER, PLATFORM_LOG_WORKSPACE } from '@baton/telemetry';
import {
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { ConsumerLagMetrics } from './consumer-lag.metrics';
import { Readiness } from './readiness';

/** How often a replica reports; event-manager counts a replica gone after three missed reports. */
export const STATUS_INTERVAL_MS = 15_000;
const MAX_LAG_ENTRIES = 200;

/**
 * Every replica tells the platform how it is, every 15 s, on
 * baton.platform.status: ready or not (and which checks fail) and its
 * consumer groups' lag, the figures its own /health/ready and /metrics
 * give. event-manager keeps the latest report per replica for the self-watch
 * rules (`services_not_ready`, `consumer_lag`; docs/alerts.md), so Baton
 * watches itself without Prometheus. A report that cannot be sent is skipped:
 * the next one says the same.
 */
@Injectable()
export class StatusReporter implements OnApplicationBootstrap, OnModuleDestroy {
  private timer?: NodeJS.Timeout;
  private readonly instance = randomUUID();

  constructor(
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    private readonly lag: ConsumerLagMetrics,
    @Inject(Symbol.for('baton.service-name')) private readonly service: string,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    void this.report();
    this.timer = setInterval(() => void this.report(), STATUS_INTERVAL_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }

  async report(): Promise<void> {
    try {
      const failing = this.readiness.notReady();
      const lags = await this.lag.lags();
      const data: PlatformStatusMessage = {
        service: this.service,
        instance: this.instance,
        ready: failing.length === 0,
        failing: failing.slice(0, 50),
        consumer_lag: lags.slice(0, MAX_LAG_ENTRIES),
      };
      await this.kafka.publish([
        {
          topic: Topics.platformStatus,
          key: this.service,
          envelope: createEnvelope({
            type: PlatformStatusType,
            source: `baton-${this.service}`,
            workspaceId: PLATFORM_LOG_WORKSPACE,
            data,
          }),
        },
      ]);
    } catch (error) {
      this.logger.debug(
        { err: { message: (error as Error).message } },
        'status report not sent; the next one will be',
      );
    }
  }
}
