import { BatonKafka } from '@baton/kafka';
import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import {
  HealthCheck,
  HealthCheckService,
  HealthIndicatorService,
  type HealthIndicatorResult,
} from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Readiness } from './readiness';

/** Liveness says the process runs; readiness says it can do its job right now. */
@ApiExcludeController()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(BatonKafka) private readonly kafka: BatonKafka,
    @Inject(Readiness) private readonly readiness: Readiness,
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
  ready() {
    return this.health.check([
      () => this.probe('kafka', () => this.kafka.ping()),
      ...(this.dataSource
        ? [
            () =>
              this.probe('postgres', () =>
                this.dataSource!.query('SELECT 1').then(() => undefined),
              ),
          ]
        : []),
      () =>
        this.probe('consumers', async () => {
          const waiting = this.readiness.notReady();
          if (waiting.length) throw new Error(`not ready: ${waiting.join(', ')}`);
        }),
    ]);
  }

  private async probe(key: string, check: () => Promise<void>): Promise<HealthIndicatorResult> {
    const indicator = this.indicators.check(key);
    try {
      await check();
      return indicator.up();
    } catch (error) {
      return indicator.down({ message: (error as Error).message });
    }
  }
}
