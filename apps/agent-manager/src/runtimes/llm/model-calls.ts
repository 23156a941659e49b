import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { AgentManagerEnv } from '../../agent-manager.env';
import { LOGGER } from '@baton/telemetry';
import canonicalize from 'canonicalize';
import type { Logger } from 'pino';
import { LlmCallsRepository } from './llm-calls.repository';
import type { CallScope } from './recorded-calls';
import { callCost, parseModelPrices, type ModelPrices } from './model-prices';

/**
 * Record once, replay free: every request an llm agent sends to its model is
 * recorded with its answer, tokens, cost and latency. Before calling, the same
 * request in the same place (this step of this run, or this task) is looked
 * up: a task run again after a crash (its lease passed), a step retried
 * after a timeout or a failed tool, takes the recorded answer instead of
 * paying for the call twice. An answer that was itself the failure (garbage,
 * not JSON, not the output schema) is discarded with its attempt's other
 * answers, so the retry really asks the model again.
 */
@Injectable()
export class ModelCalls {
  private readonly prices: ModelPrices;

  constructor(
    private readonly calls: LlmCallsRepository,
    env: AgentManagerEnv,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.prices = parseModelPrices(env.LLM_PRICES);
  }

  /** The answers of this attempt were unusable: a retry must not get them back. */
  discard(scope: CallScope): Promise<void> {
    return this.calls.discardAttempt(scope.taskId, scope.attempt);
  }

  /** `record` false (the agent's `config.record`): the model is called, nothing is looked up or kept. */
  async complete(
    scope: CallScope,
    round: number,
    request: Record<string, unknown>,
    record: boolean,
    callModel: () => Promise<unknown>,
  ): Promise<unknown> {
    if (!record) return callModel();
    const requestHash = createHash('sha256')
      .update(canonicalize(request) ?? '')
      .digest('hex');
    const recorded = await this.calls.reusable(scope, round, requestHash);
    if (recorded !== null) {
      this.logger.info(
        { task_id: scope.taskId, run_id: scope.runId, step: scope.step, round },
        'model answer reused from the record',
      );
      return recorded;
    }
    const started = Date.now();
    const response = await callModel();
    const model = String(request.model);
    const { promptTokens, completionTokens } = usageOf(response);
    await this.calls.record({
      id: randomUUID(),
      scope,
      round,
      requestHash,
      model,
      request,
      response,
      promptTokens,
      completionTokens,
      cost: callCost(this.prices, model, promptTokens, completionTokens),
      latencyMs: Date.now() - started,
    });
    return response;
  }
}

/** OpenAI-compatible `usage`; null where the server reports none. */
function usageOf(response: unknown): {
  promptTokens: number | null;
  completionTokens: number | null;
} {
  const usage = (response as { usage?: Record<string, unknown> } | null)?.usage;
  const count = (value: unknown) =>
    typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
  return {
    promptTokens: count(usage?.prompt_tokens),
    completionTokens: count(usage?.completion_tokens),
  };
}
