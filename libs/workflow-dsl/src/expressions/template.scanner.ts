import { DslCodes, ExpressionError } from '../errors/dsl.errors';
import { BoundedCache } from '../util/bounded-cache';

export type TemplatePart =
  | { readonly kind: 'text'; readonly text: string }
  /** `start` is the offset of `source` (the text between `${` and `}`) in the whole string. */
  | { readonly kind: 'expr'; readonly source: string; readonly start: number };

export interface ScannedTemplate {
  readonly parts: readonly TemplatePart[];
  /** The string is exactly one `${...}`: it yields the value with its own type. */
  readonly single: boolean;
}

const cache = new BoundedCache<string, ScannedTemplate>(5_000);

/** Cheap pre-check so plain strings skip the scanner. */
export function hasExpressions(text: string): boolean {
  return text.includes('${');
}

/**
 * Splits a string into text and `${...}` parts. Braces inside the expression
 * (JSONata object constructors) nest, and braces inside quoted strings or
 * backtick names do not count. `$${` stands for a literal `${`.
 * Throws ExpressionError (EXPR.PARSE) on an unterminated or empty `${`.
 */
export function scanTemplate(text: string): ScannedTemplate {
  const cached = cache.get(text);
  if (cached) return cached;
  const parts: TemplatePart[] = [];
  let buffer = '';
  let i = 0;
  while (i < text.length) {
    if (text.startsWith('$${', i)) {
      buffer += '${';
      i += 3;
      continue;
    }
    if (!text.startsWith('${', i)) {
      buffer += text[i];
      i += 1;
      continue;
    }
    const end = findClosingBrace(text, i + 2);
    if (end < 0) {
      throw new ExpressionError(DslCodes.exprParse, 'unterminated "${": no matching "}"', {
        expression: text,
        position: i,
      });
    }
    const source = text.slice(i + 2, end);
    if (source.trim() === '') {
      throw new ExpressionError(DslCodes.exprParse, 'empty expression "${}"', {
        expression: text,
        position: i,
      });
    }
    if (buffer) parts.push({ kind: 'text', text: buffer });
    buffer = '';
    parts.push({ kind: 'expr', source, start: i + 2 });
    i = end + 1;
  }
  if (buffer || parts.length === 0) parts.push({ kind: 'text', text: buffer });
  const scanned: ScannedTemplate = {
    parts,
    single: parts.length === 1 && parts[0].kind === 'expr',
  };
  cache.set(text, scanned);
  return scanned;
}

/** Index of the `}` closing an expression whose body starts at `from`, or -1. */
function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  let quote: string | undefined;
  for (let j = from; j < text.length; j += 1) {
    const ch = text[j];
    if (quote) {
      if (ch === '\\' && quote !== '`') j += 1;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '/' && text[j + 1] === '*') {
      const close = text.indexOf('*/', j + 2);
      if (close < 0) return -1;
      j = close + 1;
    } else if (ch === '{') depth += 1;
    else if (ch === '}') {
      depth -= 1;
      if (depth === 0) return j;
    }
  }
  return -1;
}
