import { toTypeFilter } from './event-type-pattern';

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
