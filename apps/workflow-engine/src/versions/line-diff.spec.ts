import { diffLines, splitLines, unifiedDiff } from './line-diff';

const labels = { from: 'flow v1', to: 'flow v2' };

/** Applies an edit script to its left side: what it produces must be the right side. */
function apply(ops: ReturnType<typeof diffLines>): { left: string[]; right: string[] } {
  return {
    left: ops.filter((op) => op.kind !== 'add').map((op) => op.line),
    right: ops.filter((op) => op.kind !== 'remove').map((op) => op.line),
  };
}

describe('line diff', () => {
  it('gives an empty diff for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', labels)).toEqual({ text: '', added: 0, removed: 0 });
    expect(unifiedDiff('a\r\nb', 'a\nb\n', labels).text).toBe('');
  });

  it('prints one changed line with three lines of context, as diff -u does', () => {
    const from = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n');
    const to = ['1', '2', '3', '4', 'five', '6', '7', '8', '9'].join('\n');
    expect(unifiedDiff(from, to, labels)).toEqual({
      text: [
        '--- flow v1',
        '+++ flow v2',
        '@@ -2,7 +2,7 @@',
        ' 2',
        ' 3',
        ' 4',
        '-5',
        '+five',
        ' 6',
        ' 7',
        ' 8',
        '',
      ].join('\n'),
      added: 1,
      removed: 1,
    });
  });

  it('splits distant changes into separate hunks and merges close ones', () => {
    const from = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const to = [...from];
    to[1] = 'changed 2';
    to.splice(17, 1); // remove line 18
    const text = unifiedDiff(from.join('\n'), to.join('\n'), labels).text;
    expect(text.split('\n').filter((l) => l.startsWith('@@'))).toEqual([
      '@@ -1,5 +1,5 @@',
      '@@ -15,6 +15,5 @@',
    ]);
    const close = [...from];
    close[3] = 'x';
    close[7] = 'y';
    const merged = unifiedDiff(from.join('\n'), close.join('\n'), labels).text;
    expect(merged.split('\n').filter((l) => l.startsWith('@@'))).toEqual(['@@ -1,11 +1,11 @@']);
  });

  it('writes GNU ranges for an empty side', () => {
    expect(unifiedDiff('', 'a\nb\n', labels).text).toBe(
      '--- flow v1\n+++ flow v2\n@@ -0,0 +1,2 @@\n+a\n+b\n',
    );
    expect(unifiedDiff('a\n', '', labels).text).toBe(
      '--- flow v1\n+++ flow v2\n@@ -1 +0,0 @@\n-a\n',
    );
  });

  it('keeps the longest common subsequence of moved and inserted lines', () => {
    const a = splitLines('steps:\n  - a\n  - b\n  - c\n  - d\n');
    const b = splitLines('steps:\n  - b\n  - c\n  - a\n  - d\n  - e\n');
    const ops = diffLines(a, b);
    expect(apply(ops)).toEqual({ left: a, right: b });
    // steps, b, c, d stay: only `a` moves (one remove, one add) and `e` is new.
    expect(ops.filter((op) => op.kind === 'same').map((op) => op.line)).toEqual([
      'steps:',
      '  - b',
      '  - c',
      '  - d',
    ]);
    expect(ops.filter((op) => op.kind !== 'same')).toHaveLength(3);
  });

  it('round-trips random edits', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    for (let round = 0; round < 200; round++) {
      const a = Array.from({ length: random(12) }, () => `l${random(5)}`);
      const b = Array.from({ length: random(12) }, () => `l${random(5)}`);
      const ops = diffLines(a, b);
      expect(apply(ops)).toEqual({ left: a, right: b });
    }
  });
});
