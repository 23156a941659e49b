import { isAlias, isCollection, isMap, isPair, isScalar, type Node } from 'yaml';

/**
 * Workflow documents are tenant-written and parsed in a shared process. The
 * `yaml` parser's time grows with the square of the nesting (10,000 levels
 * take half a second) and its composer recurses, so nesting is estimated on
 * the raw text first, in one linear pass, and the parse runs only below the
 * limit. Real workflows nest about a dozen levels and hold a few hundred keys.
 */
export const YAML_LIMITS = Object.freeze({
  /** Largest document, in bytes (the gateway refuses larger bodies first). */
  maxBytes: 1_048_576,
  /** Deepest nesting of mappings and sequences. */
  maxDepth: 64,
  /** Most mapping keys in the whole document. */
  maxKeys: 20_000,
  /** Most alias expansions ("billion laughs" is exponential in them). */
  maxAliasCount: 100,
});

export interface LimitBreach {
  readonly code: 'DSL.DOCUMENT_TOO_LARGE' | 'DSL.DOCUMENT_TOO_COMPLEX';
  readonly message: string;
}

const tooDeep = (): LimitBreach => ({
  code: 'DSL.DOCUMENT_TOO_COMPLEX',
  message: `the workflow document nests deeper than ${YAML_LIMITS.maxDepth} levels`,
});

/** Size and an upper bound of the nesting, from the text alone, before parsing. */
export function checkYamlText(text: string): LimitBreach | undefined {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > YAML_LIMITS.maxBytes) {
    return {
      code: 'DSL.DOCUMENT_TOO_LARGE',
      message: `the workflow document is larger than ${YAML_LIMITS.maxBytes} bytes (${bytes})`,
    };
  }
  return nestingBound(text) > YAML_LIMITS.maxDepth ? tooDeep() : undefined;
}

/**
 * Never less than the real nesting: indentation levels, plus compact `- `
 * entries opening on one line, plus the mapping they may start, plus open
 * flow brackets. Quotes are honoured only within a line, so a stray quote
 * can make the estimate larger, never hide a bracket.
 */
function nestingBound(text: string): number {
  const indents: number[] = [];
  let blockScalarIndent = -1;
  let flow = 0;
  let max = 0;
  for (const line of text.split('\n')) {
    const content = line.trimStart();
    const indent = line.length - content.length;
    if (content === '' || content.startsWith('#')) continue;
    if (blockScalarIndent >= 0 && indent > blockScalarIndent) continue;
    blockScalarIndent = -1;
    while (indents.length > 0 && indents[indents.length - 1] > indent) indents.pop();
    if (indents.length === 0 || indents[indents.length - 1] < indent) indents.push(indent);
    // `- - - x` and `? - x` open one collection per indicator on a single line.
    const dashes = (/^(?:[-?](?:\s+|$))*/.exec(content)?.[0] ?? '').replace(/\s/g, '').length;
    flow = scanFlow(content, flow, (depth) => {
      max = Math.max(max, indents.length + dashes + 1 + depth);
    });
    max = Math.max(max, indents.length + dashes + 1 + flow);
    if (/(?:^|[:-]\s+)[|>][-+0-9]*\s*(?:#.*)?$/.test(content)) {
      blockScalarIndent = indent;
    }
  }
  return max;
}

/** Follows flow brackets through one line, outside quotes and comments. */
function scanFlow(content: string, start: number, onOpen: (depth: number) => void): number {
  let depth = start;
  let quote = '';
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = '';
      continue;
    }
    const before = i === 0 ? ' ' : content[i - 1];
    if ((c === '"' || c === "'") && /[\s:,[{-]/.test(before)) quote = c;
    else if (c === '#' && /\s/.test(before)) break;
    else if (c === '[' || c === '{') onOpen(++depth);
    else if ((c === ']' || c === '}') && depth > 0) depth--;
  }
  return depth;
}

/**
 * Exact depth and key count of the parsed document, walked without
 * recursion. Duplicate keys are found here too, with one Set per mapping:
 * the `yaml` package's own `uniqueKeys` check compares every key with every
 * other (20,000 keys took seconds), so it is off.
 */
export function checkYamlNodes(
  root: Node | null | undefined,
  onDuplicateKey: (key: Node) => void,
): LimitBreach | undefined {
  let keys = 0;
  const pending: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (isPair(node)) {
      if (++keys > YAML_LIMITS.maxKeys) {
        return {
          code: 'DSL.DOCUMENT_TOO_COMPLEX',
          message: `the workflow document has more than ${YAML_LIMITS.maxKeys} keys`,
        };
      }
      pending.push({ node: node.key, depth }, { node: node.value, depth });
    } else if (isCollection(node) && !isAlias(node)) {
      if (depth + 1 > YAML_LIMITS.maxDepth) return tooDeep();
      if (isMap(node)) findDuplicateKeys(node.items, onDuplicateKey);
      for (const item of node.items) pending.push({ node: item, depth: depth + 1 });
    }
  }
  return undefined;
}

/** Scalar keys equal in type and value, as `yaml` compares them. */
function findDuplicateKeys(pairs: readonly unknown[], onDuplicateKey: (key: Node) => void): void {
  const seen = new Set<string>();
  for (const pair of pairs) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    const value: unknown = pair.key.value;
    const id = `${typeof value}:${String(value)}`;
    if (seen.has(id)) onDuplicateKey(pair.key);
    seen.add(id);
  }
}
