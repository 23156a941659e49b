/**
 * A unified line diff, written out here because it is small: common prefix and
 * suffix are stripped, the middle is aligned by a longest-common-subsequence
 * table, and the edit script is cut into hunks with context lines, as
 * `diff -u` prints them. Pure: no I/O.
 */

export type DiffOp = { kind: 'same' | 'add' | 'remove'; line: string };

export interface UnifiedDiff {
  text: string;
  added: number;
  removed: number;
}

/**
 * Beyond this many table cells (the middle parts' line counts multiplied) the
 * middle is reported as removed-then-added: still a correct diff, only not a
 * minimal one, and memory stays bounded for megabyte-sized documents.
 */
const MAX_TABLE_CELLS = 4_000_000;

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[lines.length - 1] === '') lines.pop(); // a final newline ends the last line
  return lines;
}

/** The edit script turning `a` into `b`, in order. */
export function diffLines(a: readonly string[], b: readonly string[]): DiffOp[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const ops: DiffOp[] = a.slice(0, start).map((line) => ({ kind: 'same', line }));
  ops.push(...diffMiddle(a.slice(start, endA), b.slice(start, endB)));
  ops.push(...a.slice(endA).map((line): DiffOp => ({ kind: 'same', line })));
  return ops;
}

function diffMiddle(a: readonly string[], b: readonly string[]): DiffOp[] {
  const n = a.length;
  const m = b.length;
  if (n === 0 || m === 0 || n * m > MAX_TABLE_CELLS) {
    return [
      ...a.map((line): DiffOp => ({ kind: 'remove', line })),
      ...b.map((line): DiffOp => ({ kind: 'add', line })),
    ];
  }
  // lcs[i][j]: length of the LCS of a[i..] and b[j..], one flat array row by row.
  const width = m + 1;
  const lcs = new Uint32Array((n + 1) * width);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * width + j + 1] + 1
          : Math.max(lcs[(i + 1) * width + j], lcs[i * width + j + 1]);
    }
  }
  const ops: DiffOp[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      ops.push({ kind: 'same', line: a[i] });
      i++;
      j++;
    } else if (lcs[(i + 1) * width + j] >= lcs[i * width + j + 1]) {
      ops.push({ kind: 'remove', line: a[i++] });
    } else {
      ops.push({ kind: 'add', line: b[j++] });
    }
  }
  while (i < n) ops.push({ kind: 'remove', line: a[i++] });
  while (j < m) ops.push({ kind: 'add', line: b[j++] });
  return ops;
}

/**
 * `diff -u` output of two texts: `--- fromLabel`, `+++ toLabel`, then hunks
 * `@@ -l,s +l,s @@` with `context` unchanged lines around each change.
 * Identical texts give an empty diff.
 */
export function unifiedDiff(
  from: string,
  to: string,
  labels: { from: string; to: string },
  context = 3,
): UnifiedDiff {
  const ops = diffLines(splitLines(from), splitLines(to));
  const added = ops.filter((op) => op.kind === 'add').length;
  const removed = ops.filter((op) => op.kind === 'remove').length;
  if (added === 0 && removed === 0) return { text: '', added, removed };

  const out = [`--- ${labels.from}`, `+++ ${labels.to}`];
  for (const hunk of hunksOf(ops, context)) out.push(...renderHunk(ops, hunk));
  return { text: `${out.join('\n')}\n`, added, removed };
}

interface Hunk {
  start: number;
  end: number; // exclusive index into ops
}

/** Groups changes whose context overlaps into one hunk. */
function hunksOf(ops: DiffOp[], context: number): Hunk[] {
  const hunks: Hunk[] = [];
  ops.forEach((op, index) => {
    if (op.kind === 'same') return;
    const start = Math.max(0, index - context);
    const end = Math.min(ops.length, index + context + 1);
    const last = hunks[hunks.length - 1];
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else hunks.push({ start, end });
  });
  return hunks;
}

function renderHunk(ops: DiffOp[], hunk: Hunk): string[] {
  // Line numbers (1-based) of the hunk's first line in each text.
  let fromLine = 1;
  let toLine = 1;
  for (let k = 0; k < hunk.start; k++) {
    if (ops[k].kind !== 'add') fromLine++;
    if (ops[k].kind !== 'remove') toLine++;
  }
  const body: string[] = [];
  let fromCount = 0;
  let toCount = 0;
  for (let k = hunk.start; k < hunk.end; k++) {
    const op = ops[k];
    if (op.kind === 'same') {
      body.push(` ${op.line}`);
      fromCount++;
      toCount++;
    } else if (op.kind === 'remove') {
      body.push(`-${op.line}`);
      fromCount++;
    } else {
      body.push(`+${op.line}`);
      toCount++;
    }
  }
  return [`@@ -${range(fromLine, fromCount)} +${range(toLine, toCount)} @@`, ...body];
}

/** As GNU diff writes ranges: `l,s`, `l` when s is 1, and `l-1,0` for an empty side. */
function range(line: number, count: number): string {
  if (count === 1) return `${line}`;
  if (count === 0) return `${line - 1},0`;
  return `${line},${count}`;
}
