import {
  AgentTaskMessageTypes,
  LlmBudgetQuery,
  SetLlmBudgetCommand,
  type LlmBudgetView,
} from '@baton/contracts';
import type { CommandRegistry } from '@baton/kafka';
import { CommandHandlers } from '@baton/service-kit';
import { Injectable } from '@nestjs/common';
import { LIMIT_FIELDS, type LlmLimits } from './llm-budget';
import { LlmCallsRepository } from './llm-calls.repository';

/** `GET/PUT /v1/llm-budget`: a workspace's limits on its llm agents' spend, and what they spent. */
@Injectable()
export class LlmBudgetHandlers extends CommandHandlers {
  constructor(private readonly calls: LlmCallsRepository) {
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
      );
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
