import { budgetUsed, exceededLimit, limitsErrors, type Spend } from './llm-budget';

const spend = (tokens: number, cost: number): Spend => ({
  run: { tokens, cost },
  day: { tokens: tokens * 2, cost: cost * 2 },
  month: { tokens: tokens * 10, cost: cost * 10 },
});

describe('llm budgets', () => {
  it('names the first limit the spend has reached, per run, day and month', () => {
    expect(exceededLimit("agent 'a'", { tokens_per_run: 100 }, spend(99, 0))).toBeNull();
    expect(exceededLimit("agent 'a'", { tokens_per_run: 100 }, spend(100, 0))).toBe(
      "agent 'a' has spent 100 tokens this run, its tokens_per_run is 100",
    );
    expect(exceededLimit('w', { cost_per_month: 1 }, spend(0, 0.1))).toMatch(
      /spent 1\.0000 in cost this month, its cost_per_month is 1/,
    );
    expect(exceededLimit('w', { tokens_per_day: 0 }, spend(0, 0))).toMatch(/tokens_per_day is 0/);
    expect(exceededLimit('w', {}, spend(1e9, 1e9))).toBeNull();
  });

  it('refuses limits that are not known numbers ≥ 0, naming the field', () => {
    expect(limitsErrors('config.budget', undefined)).toEqual([]);
    expect(limitsErrors('config.budget', { tokens_per_day: 5, cost_per_run: 0.5 })).toEqual([]);
    expect(limitsErrors('config.budget', [])[0].field).toBe('config.budget');
    expect(limitsErrors('config.budget', { tokens_per_week: 1 })[0].field).toBe(
      'config.budget.tokens_per_week',
    );
    expect(limitsErrors('config.budget', { cost_per_day: -1 })[0].field).toBe(
      'config.budget.cost_per_day',
    );
  });

  it('reads budget_used as the largest share of a day or month limit, leaving out per-run limits', () => {
    // spend(10, 1): 20 tokens and 2 in cost today, 100 tokens and 10 this month.
    expect(budgetUsed({}, spend(10, 1))).toBeNull();
    expect(budgetUsed({ tokens_per_run: 5 }, spend(10, 1))).toBeNull();
    expect(budgetUsed({ tokens_per_day: 25 }, spend(10, 1))).toBeCloseTo(0.8);
    expect(budgetUsed({ tokens_per_day: 100, cost_per_month: 8 }, spend(10, 1))).toBeCloseTo(1.25);
    expect(budgetUsed({ cost_per_day: 0 }, spend(0, 0))).toBe(1);
  });
});
