import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import { checkYamlNodes, checkYamlText, YAML_LIMITS, type LimitBreach } from './yaml-limits';
import { DslCodes } from '../errors/dsl.errors';
import { hasErrors, type Problem } from '../model/problem.types';
import { childPath, indexPath, parentPath } from '../util/doc-path';

export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** Points inside a scalar: the first `text` at or after `from` (in the value), then `offset` into it. */
export interface Needle {
  readonly text: string;
  readonly from?: number;
  readonly offset: number;
}

/**
 * Maps document paths (`workflow.steps[2].timeout`) to positions in the YAML
 * text, so that every problem found on the plain JS value can still name a
 * line and column.
 */
export class SourceIndex {
  private readonly values = new Map<string, readonly [number, number]>();
  private readonly keys = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly lines: LineCounter,
  ) {}

  recordValue(path: string, start: number, end: number): void {
    if (!this.values.has(path)) this.values.set(path, [start, end]);
  }

  recordKey(path: string, start: number): void {
    if (!this.keys.has(path)) this.keys.set(path, start);
  }

  /** The nearest known position: the path itself, else its closest recorded ancestor. */
  locate(path: string, where: { key?: boolean; needle?: Needle } = {}): SourcePosition | undefined {
    const offset = this.offsetOf(path, where);
    if (offset === undefined) return undefined;
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  positionOfOffset(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private offsetOf(path: string, where: { key?: boolean; needle?: Needle }): number | undefined {
    if (where.key && this.keys.has(path)) return this.keys.get(path);
    const range = this.values.get(path);
    if (range) {
      if (!where.needle) return range[0];
      return range[0] + findInSource(this.text.slice(range[0], range[1]), where.needle);
    }
    const parent = parentPath(path);
    return parent === undefined ? undefined : this.offsetOf(parent, {});
  }
}

/**
 * Quoted and block scalars differ from their value (quotes, escapes, folded
 * lines), so the value text is looked up in the source: whole if it appears
 * verbatim, else the token at the offset. Source text is never shorter than
 * the value before it, so searches start at the value offset.
 */
function findInSource(source: string, needle: Needle): number {
  const { text, from = 0, offset } = needle;
  const whole = source.indexOf(text, from);
  if (whole >= 0) return whole + offset;
  const token = /^\S+/.exec(text.slice(offset))?.[0];
  if (token) {
    const at = firstIndex(source, token, from + offset);
    if (at >= 0) return at;
  }
  const before = /\S+(?=\s*$)/.exec(text.slice(0, offset))?.[0];
  if (before) {
    const at = firstIndex(source, before, from);
    if (at >= 0) return at + before.length;
  }
  return 0;
}

function firstIndex(source: string, token: string, from: number): number {
  const at = source.indexOf(token, from);
  return at >= 0 ? at : source.indexOf(token);
}

export interface LoadedYaml {
  readonly value?: unknown;
  readonly index: SourceIndex;
  readonly problems: Problem[];
}

export function loadYaml(text: string): LoadedYaml {
  const lines = new LineCounter();
  const index = new SourceIndex(text, lines);
  const oversized = checkYamlText(text);
  if (oversized) return { index, problems: [limitProblem(oversized)] };
  // merge: authors share retry policies and inputs with anchors and `<<: *shared`.
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    // Checked linearly in checkYamlNodes; the package's own check is quadratic.
    uniqueKeys: false,
    merge: true,
  });
  const problems: Problem[] = [];
  const report = (
    severity: Problem['severity'],
    code: string,
    message: string,
    offset: number,
  ): void => {
    const { line, column } = index.positionOfOffset(offset);
    problems.push({ severity, code, message, path: '', line, column });
  };
  const hinted = new Set<number>();
  for (const error of doc.errors) {
    const { line } = index.positionOfOffset(error.pos[0]);
    const hint = hinted.has(line) ? '' : flowCollectionHint(text, lines, line);
    if (hint) hinted.add(line);
    report('error', DslCodes.invalidYaml, `${error.message} (${error.code})${hint}`, error.pos[0]);
  }
  for (const warning of doc.warnings) {
    report('warning', DslCodes.yamlWarning, warning.message, warning.pos[0]);
  }
  if (doc.errors.length > 0) return { index, problems };
  const complex = checkYamlNodes(doc.contents, (key) =>
    report(
      'error',
      DslCodes.invalidYaml,
      'Map keys must be unique (DUPLICATE_KEY)',
      key.range?.[0] ?? 0,
    ),
  );
  if (complex) return { index, problems: [...problems, limitProblem(complex)] };
  if (hasErrors(problems)) return { index, problems };
  indexNode(doc.contents, '', index);
  try {
    // Aliases can expand exponentially ("billion laughs"); `yaml` stops past the count.
    const value = doc.toJS({ maxAliasCount: YAML_LIMITS.maxAliasCount }) as unknown;
    return { value, index, problems };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/alias count/i.test(message)) {
      const reason = `the workflow document expands more than ${YAML_LIMITS.maxAliasCount} aliases`;
      return {
        index,
        problems: [
          ...problems,
          limitProblem({ code: DslCodes.documentTooComplex, message: reason }),
        ],
      };
    }
    report('error', DslCodes.invalidYaml, message, 0);
    return { index, problems };
  }
}

/** A document limit is about the whole document: no path, no position. */
function limitProblem(breach: LimitBreach): Problem {
  return { severity: 'error', code: breach.code, message: breach.message, path: '' };
}

/**
 * `{ category: ${x.category} }` is the most likely YAML mistake in a workflow:
 * braces end a plain scalar inside a flow collection. Say how to fix it.
 */
function flowCollectionHint(text: string, lines: LineCounter, line: number): string {
  const start = lines.lineStarts[line - 1] ?? 0;
  const end = text.indexOf('\n', start);
  const source = text.slice(start, end < 0 ? text.length : end);
  return /[{[][^'"]*\$\{/.test(source)
    ? '; inside { } or [ ], put expressions in quotes: "${...}"'
    : '';
}

function indexNode(node: unknown, path: string, index: SourceIndex): void {
  if (isMap(node)) {
    recordRange(node.range, path, index);
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key;
      const key = isScalar(keyNode) ? String(keyNode.value) : String(keyNode);
      const child = childPath(path, key);
      const keyStart = isScalar(keyNode) && keyNode.range ? keyNode.range[0] : undefined;
      if (keyStart !== undefined) index.recordKey(child, keyStart);
      const value = pair.value;
      if (value && typeof value === 'object' && 'range' in value && value.range) {
        indexNode(value, child, index);
      } else if (keyStart !== undefined) {
        // `key:` with nothing after it: point at the key.
        index.recordValue(child, keyStart, keyStart);
      }
    }
  } else if (isSeq(node)) {
    recordRange(node.range, path, index);
    node.items.forEach((item, i) => indexNode(item, indexPath(path, i), index));
  } else if (node && typeof node === 'object' && 'range' in node) {
    recordRange((node as { range?: readonly number[] | null }).range, path, index);
  }
}

function recordRange(
  range: readonly number[] | null | undefined,
  path: string,
  index: SourceIndex,
): void {
  if (range && range.length >= 2) index.recordValue(path, range[0], range[1]);
}
