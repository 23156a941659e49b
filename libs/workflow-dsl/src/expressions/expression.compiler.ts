import { compileBoundedJsonata, type BoundedExpression } from '@baton/tenant-code';
import { DslCodes, ExpressionError } from '../errors/dsl.errors';
import { BoundedCache } from '../util/bounded-cache';
import { isPlainObject } from '../util/doc-path';
import { translateExpression } from './condition.translator';
import type { ExpressionScope } from './expression-scope';
import { inspectAst, type HyphenChain, type RootReference } from './jsonata-ast.inspector';
import {
  NEEDS_JSONATA,
  parseSimplePath,
  pathToJsonata,
  resolvePath,
  type PathSegment,
} from './simple-path';
import { hasExpressions, scanTemplate } from './template.scanner';

export type { HyphenChain, RootReference } from './jsonata-ast.inspector';

export interface CompiledExpression {
  /** The text as given. */
  readonly source: string;
  /** `path`: resolved directly against the scope; `jsonata`: evaluated by JSONata. */
  readonly kind: 'path' | 'jsonata';
  /** What JSONata evaluates (for `path`, the equivalent JSONata). */
  readonly jsonata: string;
  /** Root names read (step names, input, loop variables...), with offsets in `source`. */
  readonly references: readonly RootReference[];
  /** Hyphenated names JSONata would read as a subtraction (see the validator). */
  readonly hyphenChains: readonly HyphenChain[];
  evaluate(scope: ExpressionScope): Promise<unknown>;
}

const cache = new BoundedCache<string, CompiledExpression>(10_000);

/**
 * Compiles an expression written with or without `${ }`: `input.total > 10`,
 * `${input.total} > 10` and `${input.total}` all work. Throws ExpressionError
 * (EXPR.PARSE) with the position inside `expr`. Cached by text.
 */
export function compileExpression(expr: string): CompiledExpression {
  const key = `x:${expr}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = hasExpressions(expr) ? compileWithOperands(expr) : compileInner(expr);
  cache.set(key, compiled);
  return compiled;
}

/** Compiles the text between `${` and `}`: a simple path or JSONata, never `${` operands. */
export function compileTemplatePart(source: string): CompiledExpression {
  const key = `p:${source}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const compiled = compileInner(source);
  cache.set(key, compiled);
  return compiled;
}

function compileInner(source: string): CompiledExpression {
  const trimmed = source.trim();
  if (trimmed === '') {
    throw new ExpressionError(DslCodes.exprParse, 'empty expression', { expression: source });
  }
  const path = parseSimplePath(trimmed);
  return path ? compilePath(source, path) : compileJsonata(source, source, (offset) => offset);
}

function compileWithOperands(text: string): CompiledExpression {
  const scanned = scanTemplate(text);
  const only = scanned.parts[0];
  if (scanned.single && only.kind === 'expr') {
    const inner = compileInner(only.source);
    return {
      ...inner,
      source: text,
      references: inner.references.map((r) => ({ ...r, offset: r.offset + only.start })),
      hyphenChains: inner.hyphenChains.map((h) => ({ ...h, offset: h.offset + only.start })),
    };
  }
  const translated = translateExpression(text);
  return compileJsonata(text, translated.jsonata, translated.toSourceOffset);
}

function compilePath(source: string, segments: PathSegment[]): CompiledExpression {
  const text = pathToJsonata(segments);
  let fallback: CompiledExpression | undefined;
  const head = segments[0].kind === 'field' ? segments[0].name : '';
  return {
    source,
    kind: 'path',
    jsonata: text,
    references: [{ name: head, offset: source.length - source.trimStart().length }],
    hyphenChains: [],
    async evaluate(scope: ExpressionScope): Promise<unknown> {
      const value = resolvePath(scope, segments);
      if (value !== NEEDS_JSONATA) return value;
      fallback ??= compileJsonata(source, text, () => 0);
      return fallback.evaluate(scope);
    },
  };
}

function compileJsonata(
  source: string,
  text: string,
  toSourceOffset: (generated: number) => number,
): CompiledExpression {
  // Tenant-written: time, depth and size budgets and RE2 regexes (@baton/tenant-code).
  // A budget running out is an EXPR.EVAL error naming the budget.
  let expression: BoundedExpression;
  try {
    expression = compileBoundedJsonata(text);
  } catch (error) {
    const info = jsonataErrorInfo(error);
    throw new ExpressionError(DslCodes.exprParse, info.message, {
      expression: source,
      position: info.offset === undefined ? undefined : toSourceOffset(info.offset),
      jsonataCode: info.code,
    });
  }
  const findings = inspectAst(expression.ast, text);
  return {
    source,
    kind: 'jsonata',
    jsonata: text,
    references: findings.roots.map((r) => ({ ...r, offset: toSourceOffset(r.offset) })),
    hyphenChains: findings.hyphenChains.map((h) => ({ ...h, offset: toSourceOffset(h.offset) })),
    async evaluate(scope: ExpressionScope): Promise<unknown> {
      let result: unknown;
      try {
        result = (await expression.evaluate(scope)) as unknown;
      } catch (error) {
        const info = jsonataErrorInfo(error);
        throw new ExpressionError(DslCodes.exprEval, info.message, {
          expression: source,
          position: info.offset === undefined ? undefined : toSourceOffset(info.offset),
          jsonataCode: info.code,
        });
      }
      return toPlainValue(result, source);
    },
  };
}

/**
 * JSONata returns its sequences as arrays carrying extra properties, and
 * functions as lambda objects; callers get plain JSON-shaped values instead.
 */
function toPlainValue(value: unknown, source: string): unknown {
  if (typeof value === 'function' || isJsonataFunction(value)) {
    throw new ExpressionError(DslCodes.exprEval, 'the expression yields a function, not a value', {
      expression: source,
    });
  }
  if (Array.isArray(value)) return value.map((item) => toPlainValue(item, source));
  if (isPlainObject(value)) {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) copy[key] = toPlainValue(item, source);
    return copy;
  }
  return value;
}

function isJsonataFunction(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return record._jsonata_lambda === true || record._jsonata_function === true;
}

interface JsonataErrorInfo {
  readonly message: string;
  readonly code?: string;
  /** 0-based start of the offending token in the evaluated text. */
  readonly offset?: number;
}

/** JSONata throws plain objects whose `position` is the offset just past the offending token. */
function jsonataErrorInfo(error: unknown): JsonataErrorInfo {
  if (typeof error !== 'object' || error === null) return { message: String(error) };
  const record = error as Record<string, unknown>;
  const message = typeof record.message === 'string' ? record.message : 'invalid expression';
  const code = typeof record.code === 'string' ? record.code : undefined;
  if (typeof record.position !== 'number') return { message, code };
  const token = typeof record.token === 'string' && record.token !== '(end)' ? record.token : '';
  return { message, code, offset: Math.max(0, record.position - token.length) };
}
