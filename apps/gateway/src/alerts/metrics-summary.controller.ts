import {
  AlertMessageTypes as Types,
  MetricsSummaryQuery,
  Topics,
  validateInto,
  type IncidentView,
  type MetricsSummaryView,
  type Page,
} from '@baton/contracts';
import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller, type Caller } from '../auth/caller';
import { PlatformClient } from '../platform/platform-client';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('v1')
export class MetricsSummaryController {
  constructor(private readonly platform: PlatformClient) {}

  /** The workspace's figures over `window` (default 15m): what the alert evaluator reads. */
  @Get('metrics/summary')
  summary(
    @Query() query: Record<string, string>,
    @CurrentCaller() caller: Caller,
  ): Promise<MetricsSummaryView> {
    const filter = validateInto(MetricsSummaryQuery, query, 'query');
    return this.platform.send(Topics.eventCommands, Types.metricsSummary, filter, caller);
  }

  /** Incidents opened by the workflow error handler `escalate`, newest first. */
  @Get('incidents')
  incidents(@CurrentCaller() caller: Caller): Promise<Page<IncidentView>> {
    return this.platform.send(Topics.eventCommands, Types.incidentList, {}, caller);
  }
}
