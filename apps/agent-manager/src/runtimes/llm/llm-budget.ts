import type { FieldError } from '@baton/contracts';

/**
 * Limits on what llm agents may spend: tokens (prompt + completion, as the
 * model server reports them) and cost (from LLM_PRICES), per run, per UTC day
 * and per UTC month. Every field is optional; an absent one is no limit.
 */
export interface LlmLimits {
  tokens_per_run?: number;
  tokens_per_day?: number;
  tokens_per_month?: number;
  cost_per_run?: number;
  cost_per_day?: number;
  cost_per_month?: number;
}

export const LIMIT_FIELDS = [
  'tokens_per_run',
  'tokens_per_day',
  'tokens_per_month',
  'cost_per_run',
  'cost_per_day',
  'cost_per_month',
] as const satisfies readonly (keyof LlmLimits)[];

export type LimitField = (typeof LIMIT_FIELDS)[number];

/** What was spent in each period a limit is counted over. */
export interface Spend {
  run: { tokens: number; cost: number };
  day: { tokens: number; cost: number };
  month: { tokens: number; cost: number };
}

/** Problems of a limits object, named by `<prefix>.<field>`. */
export function limitsErrors(prefix: string, value: unknown): FieldError[] {
  if (value === undefined) return [];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [{ field: prefix, message: `must be an object of ${LIMIT_FIELDS.join(', ')}` }];
  }
  const errors: FieldError[] = [];
  for (const [field, limit] of Object.entries(value as Record<string, unknown>)) {
    if (!(LIMIT_FIELDS as readonly string[]).includes(field)) {
      errors.push({
        field: `${prefix}.${field}`,
        message: `is not one of ${LIMIT_FIELDS.join(', ')}`,
      });
    } else if (typeof limit !== 'number' || !Number.isFinite(limit) || limit < 0) {
      errors.push({ field: `${prefix}.${field}`, message: 'must be a number ≥ 0' });
    }
  }
  return errors;
}

/**
 * The first limit the spend has reached, described for the step's error, or
 * null. Checked before each call against what is already spent: one call can
 * overshoot a limit by its own size, the next one is refused.
 */
export function exceededLimit(owner: string, limits: LlmLimits, spend: Spend): string | null {
  for (const field of LIMIT_FIELDS) {
    const limit = limits[field];
    if (limit === undefined) continue;
    const [measure, , period] = field.split('_') as [
      'tokens' | 'cost',
      'per',
      'run' | 'day' | 'month',
    ];
    const spent = spend[period][measure];
    if (spent >= limit) {
      const amount = measure === 'cost' ? spent.toFixed(4) : String(spent);
      return `${owner} has spent ${amount} ${measure === 'cost' ? 'in cost' : 'tokens'} this ${period}, its ${field} is ${limit}`;
    }
  }
  return null;
}

/**
 * The largest share of a day or month limit spent (the alert metric
 * `budget_used`), or null when there is none. Per-run limits are left out:
 * they belong to one run, not to a period an operator can watch fill up. A
 * limit of 0 is fully used from the start.
 */
export function budgetUsed(limits: LlmLimits, spend: Spend): number | null {
  let used: number | null = null;
  for (const field of LIMIT_FIELDS) {
    const limit = limits[field];
    const [measure, , period] = field.split('_') as [
      'tokens' | 'cost',
      'per',
      'run' | 'day' | 'month',
    ];
    if (limit === undefined || period === 'run') continue;
    const share = limit === 0 ? 1 : spend[period][measure] / limit;
    used = Math.max(used ?? 0, share);
  }
  return used;
}
