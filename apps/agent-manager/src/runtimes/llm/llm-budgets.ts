import { Injectable } from '@nestjs/common';
import { TaskFailure } from '../agent-runtime';
import { exceededLimit, type LlmLimits } from './llm-budget';
import { LlmCallsRepository } from './llm-calls.repository';
import type { CallScope } from './recorded-calls';

/**
 * Checks an llm agent's call against its own budget (`config.budget`) and its
 * workspace's (`PUT /v1/llm-budget`) before the model is asked: a spent
 * budget fails the step with `budget_exceeded`, which error_handlers can
 * route and retry policies do not retry unless told to.
 */
@Injectable()
export class LlmBudgets {
  constructor(private readonly calls: LlmCallsRepository) {}

  /**
   * `recorded` false: the agent keeps no record of its calls (`config.record`),
   * so a workspace budget cannot count them and its calls are refused rather
   * than let through uncounted (an agent budget is refused at registration).
   */
  async check(
    scope: CallScope,
    agentLimits: LlmLimits | undefined,
    recorded: boolean,
  ): Promise<void> {
    if (agentLimits && Object.keys(agentLimits).length > 0) {
      const spend = await this.calls.spend(scope.workspaceId, scope.agent, scope.runId);
      const exceeded = exceededLimit(`agent '${scope.agent}'`, agentLimits, spend);
      if (exceeded) throw new TaskFailure('budget_exceeded', exceeded);
    }
    const workspaceLimits = await this.calls.workspaceLimits(scope.workspaceId);
    if (Object.keys(workspaceLimits).length > 0) {
      if (!recorded) {
        throw new TaskFailure(
          'budget_exceeded',
          `workspace '${scope.workspaceId}' has an llm budget, and agent '${scope.agent}' does not record its calls (config.record is false), so they cannot be counted against it`,
        );
      }
      const spend = await this.calls.spend(scope.workspaceId, null, scope.runId);
      const exceeded = exceededLimit(`workspace '${scope.workspaceId}'`, workspaceLimits, spend);
      if (exceeded) throw new TaskFailure('budget_exceeded', exceeded);
    }
  }
}
