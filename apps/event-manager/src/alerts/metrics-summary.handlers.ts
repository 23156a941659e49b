import {
  AlertMessageTypes as Types,
  DomainError,
  MetricsSummaryQuery,
  PageQuery,
  type MetricsSummaryView,
  onePage,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { parseDuration } from '@baton/workflow-dsl';
import { Injectable } from '@nestjs/common';
import { DeadLettersRepository } from '../dead-letters/dead-letters.repository';
import { FiguresClient } from './figures.client';
import { AlertsRepository } from './alerts.repository';
import { IncidentsRepository } from './incidents.repository';
import { WorkflowFiguresRepository } from './workflow-figures.repository';

const DEFAULT_WINDOW = '15m';
const MAX_WINDOW_MS = 7 * 86_400_000;

/**
 * `GET /v1/metrics/summary?window=15m`: the seed's figures for a workspace
 * (response times, success and error rates, step completion, bottleneck
 * steps by p95), from the same sources the alert evaluator reads; and
 * `GET /v1/incidents`.
 */
@Injectable()
export class MetricsSummaryHandler extends CommandHandlers {
  constructor(
    private readonly agents: FiguresClient,
    private readonly workflows: WorkflowFiguresRepository,
    private readonly rules: AlertsRepository,
    private readonly incidents: IncidentsRepository,
    private readonly deadLetters: DeadLettersRepository,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(Types.metricsSummary, MetricsSummaryQuery, (query, envelope) =>
        this.summary(envelope.workspaceid, query.window ?? DEFAULT_WINDOW),
      )
      .handle(Types.incidentList, PageQuery, async (_query, envelope) =>
        onePage(await this.incidents.list(envelope.workspaceid)),
      );
  }

  private async summary(workspaceId: string, window: string): Promise<MetricsSummaryView> {
    const windowMs = parseDuration(window);
    if (windowMs < 1_000 || windowMs > MAX_WINDOW_MS)
      throw DomainError.invalid('window', 'must be between 1s and 7d');
    const [sample, runs, steps, deadLetters, alerts] = await Promise.all([
      this.agents.sample(workspaceId, windowMs, [], true),
      this.workflows.runs(workspaceId, windowMs, null),
      this.workflows.steps(workspaceId, windowMs),
      this.deadLetters.count(workspaceId, windowMs),
      this.rules.stateCounts(workspaceId),
    ]);
    const agentFinished = sample.workspace.completed + sample.workspace.failed;
    const runsFinished = runs.runs_completed + runs.runs_failed;
    const stepsFinished = steps.steps_completed + steps.steps_failed;
    return {
      window,
      window_seconds: windowMs / 1000,
      agents: {
        tasks: sample.workspace.tasks,
        success_rate: ratio(sample.workspace.completed, agentFinished),
        error_rate: ratio(sample.workspace.failed, agentFinished),
        response_ms: { p50: sample.workspace.p50_ms, p95: sample.workspace.p95_ms },
        in_flight: sample.workspace.in_flight,
        queue_lag: sample.workspace.queue_lag ?? null,
        breakers_open: sample.workspace.breakers_open,
        by_agent: sample.busiest.map((a) => ({
          agent: a.agent,
          tasks: a.tasks,
          error_rate: ratio(a.failed, a.completed + a.failed),
          p95_ms: a.p95_ms,
        })),
      },
      workflows: {
        runs_started: runs.runs_started,
        runs_completed: runs.runs_completed,
        runs_failed: runs.runs_failed,
        success_rate: ratio(runs.runs_completed, runsFinished),
        error_rate: ratio(runs.runs_failed, runsFinished),
        run_duration_ms: { p50: runs.run_p50_ms, p95: runs.run_p95_ms },
        steps_completed: steps.steps_completed,
        steps_failed: steps.steps_failed,
        step_completion_rate: ratio(steps.steps_completed, stepsFinished),
        bottlenecks: steps.bottlenecks,
      },
      dead_letters: deadLetters,
      alerts,
    };
  }
}

function ratio(part: number, whole: number): number | null {
  return whole === 0 ? null : part / whole;
}
