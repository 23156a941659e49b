import { DomainError, ErrorCodes } from '@baton/contracts';
import { Controller, Get, Header, Headers, Inject } from '@nestjs/common';
import { BaseEnv } from './env';
import { ApiExcludeController } from '@nestjs/swagger';
import { register } from 'prom-client';
import { metricsAllowed } from './metrics-access';

/**
 * /metrics on the API port: only with METRICS_TOKEN set and presented as a
 * bearer token; otherwise a 404 (metrics are on METRICS_PORT), so that no
 * caller of the API reads the platform's counters.
 */
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  private readonly token?: string;

  constructor(@Inject(BaseEnv) env: BaseEnv) {
    this.token = env.METRICS_TOKEN || undefined;
  }

  @Get()
  @Header('Content-Type', register.contentType)
  metrics(@Headers('authorization') authorization: string | undefined): Promise<string> {
    if (!this.token) {
      throw new DomainError(ErrorCodes.notFound, 'metrics are served on the metrics port only');
    }
    if (!metricsAllowed(authorization, this.token)) {
      throw new DomainError(
        ErrorCodes.unauthorized,
        'send Authorization: Bearer <METRICS_TOKEN> for metrics',
      );
    }
    return register.metrics();
  }
}
