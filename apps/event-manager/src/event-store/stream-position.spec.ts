import { formatStreamPosition, parseStreamPosition } from './stream-position';

describe('stream positions', () => {
  it('round-trips a position', () => {
    const position = { xid: '7351', seq: '42' };
    expect(parseStreamPosition(formatStreamPosition(position))).toEqual(position);
  });

  it('normalises leading zeros so that equal positions compare equal', () => {
    expect(parseStreamPosition('007-0010')).toEqual({ xid: '7', seq: '10' });
  });

  it.each(['', '12', '1-2-3', 'a-1', '-1-2', '1-', '99999999999999999999-1'])(
    'refuses %j',
    (cursor) => {
      expect(parseStreamPosition(cursor)).toBeUndefined();
    },
  );
});
