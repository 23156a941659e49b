import { recordBytes, splitByBytes } from './request-size';

describe('produce request size', () => {
  it('cuts a send into consecutive runs under the byte limit, in order', () => {
    const items = [40, 40, 30, 90, 10, 10];
    expect(splitByBytes(items, (n) => n, 100)).toEqual([[40, 40], [30], [90, 10], [10]]);
  });

  it('sends an item over the limit alone, and nothing for nothing', () => {
    expect(splitByBytes([10, 500, 10], (n) => n, 100)).toEqual([[10], [500], [10]]);
    expect(splitByBytes([], (n: number) => n, 100)).toEqual([]);
  });

  it('counts key, value and headers in bytes, not characters', () => {
    const plain = recordBytes({ key: 'k', value: 'vv' });
    expect(recordBytes({ key: 'k', value: 'éé' })).toBe(plain + 2);
    expect(recordBytes({ key: 'k', value: 'vv', headers: { h: 'xyz' } })).toBe(plain + 4);
    expect(recordBytes({ key: null, value: Buffer.alloc(10) })).toBe(plain - 3 + 10);
  });
});
