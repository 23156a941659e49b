import type { ShadowRunView } from '@baton/contracts';
import { fitToBudget } from './report-budget';

const run = (id: string, differences: number, outputChars = 100): ShadowRunView => ({
  run_id: id,
  live_version: 1,
  verdict: differences > 0 ? 'differs' : 'same',
  step_differences: Array.from({ length: differences }, (_, i) => ({
    path: `s${i}`,
    live: { status: 'completed', output: 'x'.repeat(outputChars), error: null },
    candidate: null,
  })),
  step_differences_omitted: 0,
});

describe('fitToBudget', () => {
  it('keeps every difference that fits', () => {
    const runs = [run('a', 3), run('b', 0), run('c', 2)];
    expect(fitToBudget(runs, 10_000)).toEqual(runs);
  });

  it('counts the differences of the runs past the budget instead of listing them, in order', () => {
    const size = JSON.stringify(run('a', 2).step_differences).length;
    const fitted = fitToBudget([run('a', 2), run('b', 5), run('c', 1), run('d', 0)], size + 10);
    expect(
      fitted.map((r) => [r.run_id, r.step_differences?.length, r.step_differences_omitted]),
    ).toEqual([
      ['a', 2, 0],
      ['b', 0, 5],
      ['c', 0, 1],
      ['d', 0, 0],
    ]);
    expect(fitted.map((r) => r.verdict)).toEqual(['differs', 'differs', 'differs', 'same']);
  });
});
