/**
 * Reads a JSONata syntax tree to find which root names an expression reads
 * (for validation) and where a hyphenated step name was written without
 * backticks, which JSONata silently parses as a subtraction.
 */

/** The parts of a JSONata node this module reads; the library's own type uses `any`. */
interface AstNode {
  readonly type: string;
  readonly value?: unknown;
  readonly position?: number;
  readonly steps?: readonly AstNode[];
  readonly lhs?: unknown;
  readonly rhs?: unknown;
  readonly [key: string]: unknown;
}

export interface RootReference {
  readonly name: string;
  /** 0-based offset of the name in the expression text. */
  readonly offset: number;
}

export interface HyphenChain {
  /** The name as the author probably meant it, e.g. `classify-inquiry`. */
  readonly name: string;
  readonly offset: number;
  /** The names JSONata actually reads (`classify`, `inquiry`). */
  readonly parts: readonly string[];
}

export interface AstFindings {
  readonly roots: RootReference[];
  readonly hyphenChains: HyphenChain[];
}

export function inspectAst(ast: unknown, source: string): AstFindings {
  const findings: AstFindings = { roots: [], hyphenChains: [] };
  visit(ast, true, source, findings);
  return findings;
}

function isNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && typeof (value as AstNode).type === 'string';
}

/** `atRoot`: the node is evaluated against the scope object itself, not a value inside it. */
function visit(value: unknown, atRoot: boolean, source: string, out: AstFindings): void {
  if (Array.isArray(value)) {
    for (const item of value) visit(item, atRoot, source, out);
    return;
  }
  if (!isNode(value)) return;
  switch (value.type) {
    case 'path':
      visitPath(value, atRoot, source, out);
      return;
    case 'name':
      if (atRoot) out.roots.push(nameReference(value, source));
      visitChildren(value, false, source, out);
      return;
    case 'binary':
      if (value.value === '-' && atRoot) {
        const leaves = subtractionLeaves(value);
        const chain = hyphenChain(leaves, source);
        if (chain) out.hyphenChains.push(chain);
        // Visit the operands, not the inner subtractions, so a chain is reported once.
        visit(leaves, atRoot, source, out);
        return;
      }
      break;
    case 'transform':
      // `| pattern | update |` is evaluated against the value it is applied to.
      visitChildren(value, false, source, out);
      return;
    case 'variable':
    case 'parent':
    case 'wildcard':
    case 'descendant':
      return;
  }
  visitChildren(value, atRoot, source, out);
}

function visitPath(node: AstNode, atRoot: boolean, source: string, out: AstFindings): void {
  const steps = node.steps ?? [];
  steps.forEach((step, i) => {
    if (i === 0 && step.type === 'name') {
      if (atRoot) out.roots.push(nameReference(step, source));
      // Predicates and grouping on the first step are relative to what it selected.
      visitChildren(step, false, source, out);
    } else {
      visit(step, i === 0 ? atRoot : false, source, out);
    }
  });
  visitChildren({ ...node, steps: undefined }, false, source, out);
}

const SKIPPED_KEYS = new Set(['type', 'value', 'position', 'steps']);

function visitChildren(node: AstNode, atRoot: boolean, source: string, out: AstFindings): void {
  for (const [key, child] of Object.entries(node)) {
    if (SKIPPED_KEYS.has(key) || child === undefined) continue;
    if (typeof child === 'object' && child !== null) visit(child, atRoot, source, out);
  }
}

function nameReference(node: AstNode, source: string): RootReference {
  const name = String(node.value);
  const end = node.position ?? 0;
  const quoted = source[end - 1] === '`';
  return { name, offset: Math.max(0, end - name.length - (quoted ? 2 : 0)) };
}

/** A lone, predicate-free name at the head of a path (`classify` in `classify-inquiry`). */
function bareName(node: unknown): AstNode | undefined {
  if (!isNode(node)) return undefined;
  if (node.type === 'name') return node;
  if (node.type === 'path' && node.steps?.length === 1) return bareName(node.steps[0]);
  return undefined;
}

/** `a - b - c.d` as its operands `[a, b, c.d]`. */
function subtractionLeaves(node: AstNode): unknown[] {
  const leaves: unknown[] = [];
  let current: unknown = node;
  while (isNode(current) && current.type === 'binary' && current.value === '-') {
    leaves.unshift(current.rhs);
    current = current.lhs;
  }
  leaves.unshift(current);
  return leaves;
}

function hyphenChain(leaves: readonly unknown[], source: string): HyphenChain | undefined {
  const last = leaves[leaves.length - 1];
  const lastHead =
    isNode(last) && last.type === 'path' && last.steps?.[0]?.type === 'name'
      ? last.steps[0]
      : bareName(last);
  const heads = leaves.slice(0, -1).map(bareName);
  if (!lastHead || heads.some((h) => h === undefined)) return undefined;
  const parts = [...(heads as AstNode[]), lastHead].map((n) => String(n.value));
  const first = nameReference(heads[0] as AstNode, source);
  return { name: parts.join('-'), offset: first.offset, parts };
}
