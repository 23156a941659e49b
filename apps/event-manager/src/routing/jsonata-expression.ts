import { DomainError, ErrorCodes } from '@baton/contracts';
import { compileBoundedJsonata, type BoundedExpression } from '@baton/tenant-code';

/** Where an expression failed: 0-based offset plus 1-based line and column. */
export interface ExpressionPosition {
  position: number;
  line: number;
  column: number;
}

export class ExpressionFailure extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly at: ExpressionPosition | undefined,
  ) {
    super(at ? `${message} (line ${at.line}, column ${at.column})` : message);
    this.name = 'ExpressionFailure';
  }

  /** The bare message, without the position suffix. */
  get reason(): string {
    return this.at ? this.message.replace(/ \(line \d+, column \d+\)$/, '') : this.message;
  }
}

export interface CompiledJsonata {
  readonly source: string;
  /** Evaluates against one input; an error is an ExpressionFailure with the position. */
  evaluate(input: unknown): Promise<unknown>;
}

const CACHE_LIMIT = 2_000;
const cache = new Map<string, CompiledJsonata>();

/** Compiles a filter or transform; throws ExpressionFailure naming where the text does not parse. */
export function compileJsonata(source: string): CompiledJsonata {
  const cached = cache.get(source);
  if (cached) return cached;
  if (source.trim() === '') throw new ExpressionFailure('empty expression', undefined, undefined);
  // Tenant-written: evaluated under the process's time, depth and size budgets with RE2
  // regexes; a budget running out is an ExpressionFailure naming it, like any failure.
  let expression: BoundedExpression;
  try {
    expression = compileBoundedJsonata(source);
  } catch (error) {
    throw toFailure(error, source);
  }
  const compiled: CompiledJsonata = {
    source,
    async evaluate(input: unknown): Promise<unknown> {
      try {
        return toPlainValue(await expression.evaluate(input));
      } catch (error) {
        throw error instanceof ExpressionFailure ? error : toFailure(error, source);
      }
    },
  };
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}

/** The 422 a user sees when a filter or transform does not parse: field, message, line, column. */
export function compileOrReject(source: string, field: string): CompiledJsonata {
  try {
    return compileJsonata(source);
  } catch (error) {
    const failure = error as ExpressionFailure;
    const at = failure.at;
    throw new DomainError(ErrorCodes.validation, `${field}: ${failure.message}`, [
      {
        field,
        message: at ? `${failure.reason} at position ${at.position}` : failure.reason,
        ...(at ? { line: at.line, column: at.column } : {}),
      },
    ]);
  }
}

/** JSONata's own truthiness ($boolean): empty strings, arrays, objects, 0 and null are false. */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.some(isTruthy);
  if (typeof value === 'string') return value.length > 0;
  if (typeof value === 'number') return value !== 0;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return false;
}

export function positionOf(source: string, offset: number): ExpressionPosition {
  const clamped = Math.max(0, Math.min(offset, source.length));
  const before = source.slice(0, clamped);
  const line = before.split('\n').length;
  const column = clamped - (before.lastIndexOf('\n') + 1) + 1;
  return { position: clamped, line, column };
}

/** JSONata throws plain objects whose `position` is the offset just past the offending token. */
function toFailure(error: unknown, source: string): ExpressionFailure {
  if (typeof error !== 'object' || error === null) {
    return new ExpressionFailure(String(error), undefined, undefined);
  }
  const record = error as Record<string, unknown>;
  const message = typeof record.message === 'string' ? record.message : 'invalid expression';
  const code = typeof record.code === 'string' ? record.code : undefined;
  if (typeof record.position !== 'number') return new ExpressionFailure(message, code, undefined);
  const token = typeof record.token === 'string' && record.token !== '(end)' ? record.token : '';
  return new ExpressionFailure(
    message,
    code,
    positionOf(source, Math.max(0, record.position - token.length)),
  );
}

/** JSONata sequences carry extra properties and functions are lambdas: hand back plain JSON values. */
function toPlainValue(value: unknown): unknown {
  if (typeof value === 'function') {
    throw new ExpressionFailure(
      'the expression yields a function, not a value',
      undefined,
      undefined,
    );
  }
  if (Array.isArray(value)) return value.map(toPlainValue);
  if (value !== null && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record._jsonata_lambda === true || record._jsonata_function === true) {
      throw new ExpressionFailure(
        'the expression yields a function, not a value',
        undefined,
        undefined,
      );
    }
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(record)) copy[key] = toPlainValue(item);
    return copy;
  }
  return value;
}
