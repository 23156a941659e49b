import { cell, renderItem, renderList } from './render';

const rows = [
  { id: 'r1', status: 'completed', output: { ok: true } },
  { id: 'r2', status: 'failed', output: null },
];
const columns = [
  { header: 'id', value: (r: (typeof rows)[number]) => r.id },
  { header: 'status', value: (r: (typeof rows)[number]) => r.status },
  { header: 'output', value: (r: (typeof rows)[number]) => r.output },
];

describe('output', () => {
  it('prints a list as a plain table with capital headers', () => {
    expect(renderList(rows, 'table', columns)).toBe(
      ['ID  STATUS     OUTPUT', 'r1  completed  {"ok":true}', 'r2  failed     -'].join('\n'),
    );
  });

  it('prints the same rows as JSON or YAML, with every field', () => {
    expect(JSON.parse(renderList(rows, 'json', columns))).toEqual(rows);
    expect(renderList(rows, 'yaml', columns)).toBe(
      [
        '- id: r1',
        '  status: completed',
        '  output:',
        '    ok: true',
        '- id: r2',
        '  status: failed',
        '  output: null',
      ].join('\n'),
    );
  });

  it('prints one object as field: value lines', () => {
    expect(renderItem({ id: 'r1', steps: ['a', 'b'] }, 'table')).toBe(
      'id:     r1\nsteps:  ["a","b"]',
    );
  });

  it('keeps each cell on one line and short', () => {
    expect(cell('a\n  b')).toBe('a b');
    expect(cell('x'.repeat(100))).toHaveLength(80);
  });
});
