import type { ShadowRunView } from '@baton/contracts';

/**
 * The most characters of step differences one report carries: the reply goes
 * back over Kafka, whose broker refuses a message over 1 MiB, and each run's
 * own fields (its ends, clipped) stay below ~3 KB, 100 runs below 300 KB.
 */
export const REPORT_DIFFERENCES_BUDGET = 512 * 1024;

/**
 * Keeps the step differences of the runs in order while they fit the budget;
 * past it, a run's differences are only counted (`step_differences_omitted`),
 * its verdict, ends and divergence point stay.
 */
export function fitToBudget(
  runs: ShadowRunView[],
  budget = REPORT_DIFFERENCES_BUDGET,
): ShadowRunView[] {
  let used = 0;
  return runs.map((run) => {
    if (!run.step_differences || run.step_differences.length === 0) return run;
    const size = JSON.stringify(run.step_differences).length;
    if (used + size <= budget) {
      used += size;
      return run;
    }
    used = budget; // Later runs' smaller lists would break the order the reader expects.
    return {
      ...run,
      step_differences: [],
      step_differences_omitted: (run.step_differences_omitted ?? 0) + run.step_differences.length,
    };
  });
}
