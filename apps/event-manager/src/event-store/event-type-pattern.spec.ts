import { toTypeFilter, typePatternRegExp } from './event-type-pattern';

describe('toTypeFilter', () => {
  it('matches a type without wildcards exactly, metacharacters and all', () => {
    expect(toTypeFilter('order.created')).toEqual({ kind: 'exact', value: 'order.created' });
    expect(toTypeFilter('100%_done')).toEqual({ kind: 'exact', value: '100%_done' });
  });

  it('turns * into %', () => {
    expect(toTypeFilter('order.*')).toEqual({ kind: 'like', value: 'order.%' });
    expect(toTypeFilter('*.created')).toEqual({ kind: 'like', value: '%.created' });
    expect(toTypeFilter('a.*.b.*')).toEqual({ kind: 'like', value: 'a.%.b.%' });
    expect(toTypeFilter('*')).toEqual({ kind: 'like', value: '%' });
  });

  it('collapses runs of * into one %', () => {
    expect(toTypeFilter('order.**')).toEqual({ kind: 'like', value: 'order.%' });
  });

  it('escapes LIKE metacharacters and the escape character', () => {
    expect(toTypeFilter('a_b.*')).toEqual({ kind: 'like', value: 'a\\_b.%' });
    expect(toTypeFilter('50%.*')).toEqual({ kind: 'like', value: '50\\%.%' });
    expect(toTypeFilter('a\\b*')).toEqual({ kind: 'like', value: 'a\\\\b%' });
  });
});

describe('typePatternRegExp', () => {
  it('matches `*` across dots and nothing else as a wildcard', () => {
    const pattern = typePatternRegExp('order.*.v(1)');
    expect(pattern.test('order.created.v(1)')).toBe(true);
    expect(pattern.test('order.a.b.v(1)')).toBe(true);
    expect(pattern.test('order.created.v1')).toBe(false);
    expect(pattern.test('orderXcreated.v(1)')).toBe(false);
  });

  it('stays linear for many stars against a long near-miss (exponential on a backtracking engine)', () => {
    const pattern = typePatternRegExp(`${'*a'.repeat(30)}*b`);
    expect(pattern.test('a'.repeat(50_000))).toBe(false);
  });
});
