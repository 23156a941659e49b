import {
  AgentTaskMessageTypes,
  AlertMessageTypes,
  BudgetUsageSampleQuery,
  LlmBudgetQuery,
  SetLlmBudgetCommand,
  type BudgetUsageSample,
  type LlmBudgetView,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { AgentsRepository } from '../../agent-model/agents.repository';
import { budgetUsed, LIMIT_FIELDS, type LlmLimits } from './llm-budget';
import { LlmCallsRepository } from './llm-calls.repository';

/**
 * `GET/PUT /v1/llm-budget`: a workspace's limits on its llm agents' spend, and
 * what they spent; and the share of those limits used, for alert rules over
 * `budget_used` (event-manager asks, for the request's workspace only).
 */
@Injectable()
export class LlmBudgetHandlers extends CommandHandlers {
  constructor(
    private readonly calls: LlmCallsRepository,
    private readonly agents: AgentsRepository,
  ) {
    super();
  }

  register(server: CommandRegistry): void {
    server
      .handle(AgentTaskMessageTypes.llmBudgetGet, LlmBudgetQuery, (query, envelope) =>
        this.view(envelope.workspaceid, query.agent ?? null),
      )
      .handle(
        AgentTaskMessageTypes.llmBudgetSet,
        SetLlmBudgetCommand,
        async (command, envelope) => {
          await this.calls.setWorkspaceLimits(envelope.workspaceid, limitsOf(command));
          return this.view(envelope.workspaceid, null);
        },
      )
      .handle(AlertMessageTypes.budgetUsageSample, BudgetUsageSampleQuery, (query, envelope) =>
        this.usage(envelope.workspaceid, query.agents),
      );
  }

  private async usage(workspaceId: string, agents: string[]): Promise<BudgetUsageSample> {
    const workspaceLimits = await this.calls.workspaceLimits(workspaceId);
    const sample: BudgetUsageSample = {
      workspace:
        Object.keys(workspaceLimits).length === 0
          ? null
          : budgetUsed(workspaceLimits, await this.calls.spend(workspaceId, null, null)),
      agents: {},
    };
    for (const name of new Set(agents)) {
      const agent = await this.agents.find(workspaceId, name);
      if (!agent || agent.status === 'decommissioned') continue;
      const limits = (agent.config as { budget?: LlmLimits }).budget ?? {};
      sample.agents[name] =
        agent.runtime !== 'llm' || Object.keys(limits).length === 0
          ? null
          : budgetUsed(limits, await this.calls.spend(workspaceId, name, null));
    }
    return sample;
  }

  private async view(workspaceId: string, agent: string | null): Promise<LlmBudgetView> {
    const [limits, spend] = await Promise.all([
      this.calls.workspaceLimits(workspaceId),
      this.calls.spend(workspaceId, agent, null),
    ]);
    return { limits, spent: { day: spend.day, month: spend.month } };
  }
}

/** Only the known fields, so the stored limits are exactly what the DTO validated. */
function limitsOf(command: SetLlmBudgetCommand): LlmLimits {
  const limits: LlmLimits = {};
  for (const field of LIMIT_FIELDS) {
    if (command[field] !== undefined) limits[field] = command[field];
  }
  return limits;
}
