import { OperationError } from '../connector';
import { checkParameterisedSql, jsonRow, sqlParams } from './sql-guard';

function refusal(sql: string, params: unknown[], dialect: 'postgres' | 'mysql') {
  try {
    checkParameterisedSql(sql, params, dialect);
  } catch (error) {
    return {
      field: (error as OperationError).field,
      message: (error as OperationError).message,
      type: (error as OperationError).type,
    };
  }
  return undefined;
}

describe('parameterised SQL only', () => {
  it.each([
    ['SELECT * FROM cases WHERE id = $1', [7], 'postgres'],
    ['SELECT * FROM cases WHERE id = $1 AND owner = $2 LIMIT 10', [7, 'ada'], 'postgres'],
    ['SELECT "it\'s" FROM t WHERE a = $1', [1], 'postgres'],
    ['INSERT INTO t (a, b) VALUES ($1, $2) RETURNING id;', [1, 2], 'postgres'],
    ['SELECT 1', [], 'postgres'],
    ['SELECT * FROM t WHERE a = ? AND b = ?', [1, 2], 'mysql'],
    ["SELECT `it's` FROM t WHERE a = ?", [1], 'mysql'],
  ] as const)('accepts %s', (sql, params, dialect) => {
    expect(refusal(sql, [...params], dialect)).toBeUndefined();
  });

  it.each([
    [
      "SELECT * FROM t WHERE name = 'ada'",
      [],
      'postgres',
      /^input\.sql has a literal value at offset 29/,
    ],
    ["SELECT * FROM t WHERE name = E'ada'", [], 'postgres', /literal value/],
    ['SELECT * FROM t WHERE name = $$ada$$', [], 'postgres', /dollar-quoted/],
    ['SELECT * FROM t WHERE name = $q$ada$q$', [], 'postgres', /dollar-quoted/],
    ['SELECT * FROM t WHERE name = "ada"', [], 'mysql', /literal value/],
    ['SELECT * FROM t WHERE id = $1 -- and more', [1], 'postgres', /comment/],
    ['SELECT * FROM t WHERE id = $1 /* x */', [1], 'postgres', /comment/],
    ['SELECT * FROM t WHERE id = ? # x', [1], 'mysql', /comment/],
    ['SELECT 1; DROP TABLE t', [], 'postgres', /single statement/],
    ['SELECT * FROM "unclosed', [], 'postgres', /unclosed identifier/],
    ['SET statement_timeout = 0', [], 'postgres', /may not be a SET statement/],
    ['  set session transaction read write', [], 'mysql', /may not be a SET statement/],
    ['COMMIT', [], 'postgres', /may not be a COMMIT/],
    ['COPY cases TO PROGRAM $1', ['x'], 'postgres', /may not be a COPY/],
  ] as const)('refuses %s naming input.sql', (sql, params, dialect, message) => {
    const refused = refusal(sql, [...params], dialect);
    expect(refused).toMatchObject({ field: 'input.sql', type: 'validation_error' });
    expect(refused?.message).toMatch(message);
  });

  it('counts placeholders against params, naming input.params', () => {
    expect(refusal('SELECT * FROM t WHERE a = $1 AND b = $2', [1], 'postgres')).toEqual({
      field: 'input.params',
      type: 'validation_error',
      message: 'input.params has 1 value but the statement has 2 placeholders',
    });
    expect(refusal('SELECT * FROM t WHERE a = ?', [1, 2], 'mysql')?.field).toBe('input.params');
    // $1 used twice is one placeholder; a$1 is an identifier, not a placeholder.
    expect(refusal('SELECT a$1 FROM t WHERE a = $1 OR b = $1', [1], 'postgres')).toBeUndefined();
  });

  it('makes rows and params JSON', () => {
    expect(
      jsonRow({
        at: new Date('2024-01-02T03:04:05Z'),
        bytes: Buffer.from('hi'),
        big: 9007199254740993n,
        list: [new Date('2024-01-02T00:00:00Z')],
        n: 1,
      }),
    ).toEqual({
      at: '2024-01-02T03:04:05.000Z',
      bytes: 'aGk=',
      big: '9007199254740993',
      list: ['2024-01-02T00:00:00.000Z'],
      n: 1,
    });
    expect(sqlParams([1, 'a', null, { a: 1 }, [1]])).toEqual([1, 'a', null, '{"a":1}', '[1]']);
  });
});
