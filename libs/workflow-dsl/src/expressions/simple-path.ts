import { isPlainObject } from '../util/doc-path';

/**
 * The fast path: `segment(.segment|[n])*`, where the first segment may contain
 * hyphens because step names do (`classify-inquiry.category`).
 */
export type PathSegment =
  | { readonly kind: 'field'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number };

const SIMPLE_PATH =
  /^([A-Za-z0-9_](?:[A-Za-z0-9_-]*[A-Za-z0-9_])?)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)$/;
const TAIL_SEGMENT = /\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** Words JSONata reads as literals or operators, so they cannot be the head of a path. */
const JSONATA_WORDS = new Set(['true', 'false', 'null', 'and', 'or', 'in', 'function']);

export function parseSimplePath(text: string): PathSegment[] | undefined {
  const match = SIMPLE_PATH.exec(text);
  if (!match) return undefined;
  const head = match[1];
  // `${5}` or `${1-2}` are JSONata arithmetic, not a lookup of a step named "5".
  if (!/[A-Za-z_]/.test(head) || JSONATA_WORDS.has(head)) return undefined;
  const segments: PathSegment[] = [{ kind: 'field', name: head }];
  for (const part of match[2].matchAll(TAIL_SEGMENT)) {
    segments.push(
      part[1] !== undefined
        ? { kind: 'field', name: part[1] }
        : { kind: 'index', index: Number(part[2]) },
    );
  }
  return segments;
}

/** The same path in JSONata syntax: hyphenated or reserved names go in backticks. */
export function pathToJsonata(segments: readonly PathSegment[]): string {
  return segments
    .map((segment, i) => {
      if (segment.kind === 'index') return `[${segment.index}]`;
      const name =
        IDENTIFIER.test(segment.name) && !JSONATA_WORDS.has(segment.name)
          ? segment.name
          : `\`${segment.name}\``;
      return i === 0 ? name : `.${name}`;
    })
    .join('');
}

export const NEEDS_JSONATA = Symbol('needs-jsonata');

/**
 * Walks the scope literally. A missing step or field yields undefined. A field
 * read on an array would map over it in JSONata, so that case is handed back to
 * JSONata rather than given a second, different meaning here.
 */
export function resolvePath(
  scope: Readonly<Record<string, unknown>>,
  segments: readonly PathSegment[],
): unknown {
  let current: unknown = scope;
  for (const segment of segments) {
    if (segment.kind === 'index') {
      if (!Array.isArray(current)) return undefined;
      current = current[segment.index];
      continue;
    }
    if (Array.isArray(current)) return NEEDS_JSONATA;
    if (!isPlainObject(current) || !Object.prototype.hasOwnProperty.call(current, segment.name)) {
      return undefined;
    }
    current = current[segment.name];
  }
  return current;
}
