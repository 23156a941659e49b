import { BatonKafka } from '@baton/kafka';
import { LOGGER } from '@baton/telemetry';
import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { BaseEnv } from './env';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import type { Logger } from 'pino';
import { Gauge } from 'prom-client';
import { DataSource } from 'typeorm';
import { Readiness } from './readiness';

const readyGauge = new Gauge({
  name: 'baton_readiness',
  help: 'Whether each readiness check passed when last asked (1) or not (0)',
  labelNames: ['check'],
});

/** How long a dependency may take to answer a probe before it counts as down. */
const PROBE_TIMEOUT_MS = 3_000;

/**
 * Liveness says the process runs (an event loop that answers at all);
 * readiness says it can do its job right now: Kafka and Postgres answer, its
 * consumers have joined and none is stuck, and its sends get through. The
 * answer names only which check failed; the reason goes to the service's own
 * log (when it changes) and to the `baton_readiness` metric.
 */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  private lastProblems = '';

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(BaseEnv) private readonly env: BaseEnv,
    @Optional() @Inject(DataSource) private readonly dataSource?: DataSource,
  ) {}

  @Get('live')
  @HealthCheck()
  live() {
    return this.health.check([]);
  }

  @Get()
  @HealthCheck()
  check() {
    return this.ready();
  }

  @Get('ready')
  @HealthCheck()
  async ready() {
    const problems: Record<string, string> = {};
    const probe = async (key: string, check: () => Promise<void>) => {
      try {
        await withTimeout(check(), `${key} did not answer within ${PROBE_TIMEOUT_MS} ms`);
      } catch (error) {
        problems[key] = (error as Error).message;
      }
    };
    await Promise.all([
      probe('kafka', () => this.kafka.ping(PROBE_TIMEOUT_MS)),
      probe('kafka-delivery', async () => this.checkDelivery()),
      ...(this.dataSource
        ? [probe('postgres', () => this.dataSource!.query('SELECT 1').then(() => undefined))]
        : []),
      probe('consumers', async () => {
        const waiting = this.readiness.problems();
        if (waiting.length > 0) {
          throw new Error(waiting.map((p) => `${p.check}: ${p.reason}`).join('; '));
        }
      }),
    ]);
    this.record(problems);
    return this.health.check(
      ['kafka', 'kafka-delivery', ...(this.dataSource ? ['postgres'] : []), 'consumers'].map(
        (key) => async (): Promise<HealthIndicatorResult> => {
          const indicator = this.indicators.check(key);
          return problems[key] === undefined ? indicator.up() : indicator.down();
        },
      ),
    );
  }

  private checkDelivery(): void {
    const limit = this.env.READINESS_DELIVERY_FAILING_MS ?? 15_000;
    const failingFor = this.kafka.deliveryFailingForMs();
    if (failingFor > limit) {
      throw new Error(`every Kafka send has failed for ${Math.round(failingFor / 1000)} s`);
    }
  }

  /** Logs the reasons when they change, and sets the gauge. */
  private record(problems: Record<string, string>): void {
    for (const key of ['kafka', 'kafka-delivery', 'postgres', 'consumers']) {
      readyGauge.set({ check: key }, problems[key] === undefined ? 1 : 0);
    }
    const summary = JSON.stringify(problems);
    if (summary === this.lastProblems) return;
    this.lastProblems = summary;
    if (Object.keys(problems).length > 0) this.logger.warn({ problems }, 'not ready');
    else this.logger.info('ready');
  }
}

function withTimeout(work: Promise<void>, message: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work,
    new Promise<void>((_, reject) => {
      timer = setTimeout(() => reject(new Error(message)), PROBE_TIMEOUT_MS + 500);
      timer.unref();
    }),
  ]).finally(() => clearTimeout(timer));
}
