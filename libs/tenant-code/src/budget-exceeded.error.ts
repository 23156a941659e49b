/** Which budget a tenant's code ran out of; stable names callers can show and log. */
export type BudgetName = 'time' | 'depth' | 'value size' | 'array length';

const UNITS: Record<BudgetName, string> = {
  time: 'ms',
  depth: 'levels',
  'value size': 'characters',
  'array length': 'items',
};

/** The stable code a spent budget carries through every caller's own error type. */
export const BUDGET_EXCEEDED = 'TENANT_CODE.BUDGET_EXCEEDED';

/**
 * Thrown when an evaluation exceeds one of its budgets. Callers turn it into
 * their own failure (a failed step, a dead-lettered event, a 4xx) with this
 * message, which names the budget and its limit.
 */
export class BudgetExceededError extends Error {
  readonly code = BUDGET_EXCEEDED;

  constructor(
    readonly budget: BudgetName,
    readonly limit: number,
  ) {
    super(`exceeded the ${budget} budget of ${limit} ${UNITS[budget]}`);
    this.name = 'BudgetExceededError';
  }
}
