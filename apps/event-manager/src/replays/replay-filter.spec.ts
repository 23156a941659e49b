import { replayFilterSql } from './replay-filter';

describe('replayFilterSql', () => {
  it('matches everything without a filter', () => {
    expect(replayFilterSql({}, 3)).toEqual({ where: 'true', params: [] });
  });

  it('turns patterns, time range, subject and correlation into numbered parameters', () => {
    const sql = replayFilterSql(
      {
        types: ['order.created', 'payment.*'],
        from: '2026-01-01T00:00:00Z',
        to: '2026-01-02T00:00:00+01:00',
        subject: 's',
        correlation_id: 'c',
      },
      5,
    );
    expect(sql.where).toBe(
      "(type = $5 OR type LIKE $6 ESCAPE '\\') AND time >= $7 AND time < $8 AND subject = $9 AND " +
        '((correlation_id = $10 AND correlation_id <> id) OR (id = $10 AND correlation_id = $10))',
    );
    expect(sql.params).toEqual([
      'order.created',
      'payment.%',
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T23:00:00.000Z',
      's',
      'c',
    ]);
  });

  it('treats a * type as no type filter', () => {
    expect(replayFilterSql({ types: ['*'] }, 1).where).toBe('true');
  });
});
