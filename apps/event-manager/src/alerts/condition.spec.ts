import {
  ConditionError,
  comparisons,
  evaluateCondition,
  parseCondition,
  type Comparison,
} from './condition';

describe('alert condition language', () => {
  it.each([
    ['error_rate > 0.05', [{ metric: 'error_rate', operator: '>', value: 0.05, windowMs: null }]],
    ['success_rate<=0.9', [{ metric: 'success_rate', operator: '<=', value: 0.9, windowMs: null }]],
    [
      'p95_latency_ms[1m] >= 2000',
      [{ metric: 'p95_latency_ms', operator: '>=', value: 2000, windowMs: 60_000 }],
    ],
    ['breaker_open == 1', [{ metric: 'breaker_open', operator: '==', value: 1, windowMs: null }]],
    [
      'runs_failed > 3 or dead_letters[30s] > 0',
      [
        { metric: 'runs_failed', operator: '>', value: 3, windowMs: null },
        { metric: 'dead_letters', operator: '>', value: 0, windowMs: 30_000 },
      ],
    ],
  ])('parses %s', (source, expected) => {
    expect(comparisons(parseCondition(source))).toEqual(
      expected.map((c) => ({ kind: 'compare', ...c })),
    );
  });

  it('binds and tighter than or, and parentheses override it', () => {
    const loose = parseCondition('queue_lag > 1 or queue_lag > 2 and queue_lag > 3');
    expect(loose.kind).toBe('or');
    const grouped = parseCondition('(queue_lag > 1 or queue_lag > 2) and queue_lag > 3');
    expect(grouped.kind).toBe('and');
  });

  it.each([
    ['error_rte > 0.05', 0, 'error_rte', /unknown metric 'error_rte'/],
    ['error_rate >> 0.05', 12, '>', /expected a number at position 12/],
    ['error_rate > ', 13, 'end of condition', /expected a number/],
    ['error_rate 0.05', 11, '0.05', /expected a comparison/],
    ['error_rate > 0.05 and', 21, 'end of condition', /expected a metric/],
    ['error_rate > 0.05 && queue_lag > 1', 18, '&&', /unexpected '&&' at position 18/],
    ['(error_rate > 0.05', 18, 'end of condition', /expected '\)'/],
    ['error_rate[5x] > 1', 11, '5x', /not a window/],
    ['error_rate[0s] > 1', 11, '0s', /between 1s and 7d/],
    ['error_rate > 5m', 13, '5m', /not a number/],
    ['error_rate > 1 queue_lag > 1', 15, 'queue_lag', /expected and, or or the end/],
  ])('refuses %s naming the token', (source, position, token, message) => {
    let error: unknown;
    try {
      parseCondition(source);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConditionError);
    expect((error as ConditionError).position).toBe(position);
    expect((error as ConditionError).token).toBe(token);
    expect((error as ConditionError).message).toMatch(message);
  });

  it('bounds the size of a condition', () => {
    expect(() => parseCondition('queue_lag > 1 or '.repeat(100) + 'queue_lag > 1')).toThrow(
      /longer than/,
    );
    expect(() => parseCondition(Array(21).fill('queue_lag > 1').join(' or '))).toThrow(
      /more than 20 comparisons/,
    );
  });

  it('evaluates with the values looked up; a comparison without data never holds', () => {
    const values: Record<string, number | null> = { error_rate: 0.1, queue_lag: null };
    const lookup = (c: Comparison) => values[c.metric] ?? null;
    expect(evaluateCondition(parseCondition('error_rate > 0.05'), lookup)).toBe(true);
    expect(evaluateCondition(parseCondition('error_rate <= 0.05'), lookup)).toBe(false);
    expect(evaluateCondition(parseCondition('queue_lag >= 0'), lookup)).toBe(false);
    expect(evaluateCondition(parseCondition('queue_lag >= 0 or error_rate == 0.1'), lookup)).toBe(
      true,
    );
    expect(evaluateCondition(parseCondition('error_rate > 0 and queue_lag < 1'), lookup)).toBe(
      false,
    );
  });
});
