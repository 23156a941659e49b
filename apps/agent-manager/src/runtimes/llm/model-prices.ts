/** What one model costs, per 1,000 tokens, in the operator's currency. */
export interface ModelPrice {
  prompt_per_1k: number;
  completion_per_1k: number;
}

export type ModelPrices = Readonly<Record<string, ModelPrice>>;

/**
 * LLM_PRICES, e.g. `{"gpt-4o-mini":{"prompt_per_1k":0.00015,"completion_per_1k":0.0006}}`.
 * Prices are configuration, not code: they change more often than Baton does.
 */
export function parseModelPrices(text: string | undefined): ModelPrices {
  if (!text?.trim()) return {};
  const parsed = JSON.parse(text) as unknown;
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(
      'LLM_PRICES must be a JSON object of model → { prompt_per_1k, completion_per_1k }',
    );
  }
  const prices: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(parsed as Record<string, unknown>)) {
    const { prompt_per_1k, completion_per_1k } = (price ?? {}) as Record<string, unknown>;
    if (typeof prompt_per_1k !== 'number' || typeof completion_per_1k !== 'number') {
      throw new Error(`LLM_PRICES.${model} needs numbers prompt_per_1k and completion_per_1k`);
    }
    prices[model] = { prompt_per_1k, completion_per_1k };
  }
  return prices;
}

/** The cost of one call, or null when the model has no price or the server reported no usage. */
export function callCost(
  prices: ModelPrices,
  model: string,
  promptTokens: number | null,
  completionTokens: number | null,
): number | null {
  const price = prices[model];
  if (!price || promptTokens === null || completionTokens === null) return null;
  return (promptTokens * price.prompt_per_1k + completionTokens * price.completion_per_1k) / 1000;
}
