/**
 * How much a tenant's expression may spend in one evaluation. The defaults fit
 * every workflow and route we ship with room to spare; each service reads
 * overrides from its environment once at start (see configureTenantCode).
 */
export interface TenantCodeBudgets {
  /** Wall-clock time for one evaluation, checked at every expression node. */
  readonly timeMs: number;
  /** Nesting of evaluation (recursion through lambdas, nested paths). */
  readonly maxDepth: number;
  /**
   * Largest value any step of an evaluation may produce, in characters of
   * its JSON form (strings count their length). Bounds memory: a doubling
   * `$x & $x` or a `$pad` a billion wide stops here.
   */
  readonly maxValueSize: number;
  /** Longest array or sequence any step may produce (ranges are refused before allocation). */
  readonly maxArrayLength: number;
}

export const DEFAULT_TENANT_CODE_BUDGETS: TenantCodeBudgets = Object.freeze({
  timeMs: 1_000,
  maxDepth: 500,
  maxValueSize: 5_000_000,
  maxArrayLength: 100_000,
});

let active: TenantCodeBudgets = DEFAULT_TENANT_CODE_BUDGETS;

/**
 * Process-wide on purpose: compiled expressions are cached by text and shared
 * by every caller, so the budgets belong to the process, not to a call site.
 */
export function configureTenantCode(budgets: Partial<TenantCodeBudgets>): void {
  active = Object.freeze({ ...DEFAULT_TENANT_CODE_BUDGETS, ...budgets });
}

export function tenantCodeBudgets(): TenantCodeBudgets {
  return active;
}
