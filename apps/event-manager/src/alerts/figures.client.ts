import {
  AlertMessageTypes,
  Topics,
  type AgentMetricsSample,
  type BudgetUsageSample,
  type ConnectionMetricsSample,
} from '@baton/contracts';
import { BatonKafka } from '@baton/kafka';
import { Readiness, ServiceRequests } from '@baton/service-kit';
import { Inject, Injectable } from '@nestjs/common';

const SAMPLE_TIMEOUT_MS = 10_000;

/**
 * Asks agent-manager for agent figures and integration-manager for
 * connection figures over a window (request/reply on their command topics,
 * answered on baton.event.replies): the outcomes, durations and breakers live
 * in their schemas, which no other service reads.
 */
@Injectable()
export class FiguresClient extends ServiceRequests {
  constructor(@Inject(BatonKafka) kafka: BatonKafka, @Inject(Readiness) readiness: Readiness) {
    super(kafka, readiness, 'figures-replies', Topics.eventReplies, 'baton-event-manager-replies-');
  }

  /** `queueLag`: also read each agent's task-topic lag from the broker (costs two requests per agent). */
  sample(
    workspaceId: string,
    windowMs: number,
    agents: string[],
    queueLag = false,
  ): Promise<AgentMetricsSample> {
    return this.client.request<AgentMetricsSample>(
      Topics.agentCommands,
      AlertMessageTypes.agentMetricsSample,
      { window_seconds: Math.max(1, Math.round(windowMs / 1000)), agents, queue_lag: queueLag },
      { workspaceId, source: 'event-manager', timeoutMs: SAMPLE_TIMEOUT_MS, key: workspaceId },
    );
  }

  connectionSample(
    workspaceId: string,
    windowMs: number,
    connections: string[],
  ): Promise<ConnectionMetricsSample> {
    return this.client.request<ConnectionMetricsSample>(
      Topics.integrationCommands,
      AlertMessageTypes.connectionMetricsSample,
      { window_seconds: Math.max(1, Math.round(windowMs / 1000)), connections },
      { workspaceId, source: 'event-manager', timeoutMs: SAMPLE_TIMEOUT_MS, key: workspaceId },
    );
  }

  /** The share of the workspace's llm budget used, and of these agents' (`budget_used`). */
  budgetUsage(workspaceId: string, agents: string[]): Promise<BudgetUsageSample> {
    return this.client.request<BudgetUsageSample>(
      Topics.agentCommands,
      AlertMessageTypes.budgetUsageSample,
      { agents },
      { workspaceId, source: 'event-manager', timeoutMs: SAMPLE_TIMEOUT_MS, key: workspaceId },
    );
  }
}
