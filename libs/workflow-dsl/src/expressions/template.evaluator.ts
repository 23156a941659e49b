import { isPlainObject } from '../util/doc-path';
import { compileExpression, compileTemplatePart } from './expression.compiler';
import type { ExpressionScope } from './expression-scope';
import { hasExpressions, scanTemplate } from './template.scanner';

/**
 * Resolves every `${...}` in a JSON value. A string that is exactly one
 * `${...}` yields the value with its own type; `${}` inside longer text is
 * interpolated (objects and arrays as JSON, undefined as an empty string).
 * Object keys whose value comes out undefined are left out, as JSON would.
 */
export async function evaluateTemplate(
  template: unknown,
  scope: ExpressionScope,
): Promise<unknown> {
  if (typeof template === 'string') return evaluateString(template, scope);
  if (Array.isArray(template)) {
    return Promise.all(template.map((item) => evaluateTemplate(item, scope)));
  }
  if (isPlainObject(template)) {
    const entries = await Promise.all(
      Object.entries(template).map(
        async ([key, value]) => [key, await evaluateTemplate(value, scope)] as const,
      ),
    );
    const result: Record<string, unknown> = {};
    for (const [key, value] of entries) if (value !== undefined) result[key] = value;
    return result;
  }
  return template;
}

async function evaluateString(text: string, scope: ExpressionScope): Promise<unknown> {
  if (!hasExpressions(text)) return text;
  const scanned = scanTemplate(text);
  if (scanned.single && scanned.parts[0].kind === 'expr') {
    return compileTemplatePart(scanned.parts[0].source).evaluate(scope);
  }
  const pieces = await Promise.all(
    scanned.parts.map(async (part) =>
      part.kind === 'text'
        ? part.text
        : interpolate(await compileTemplatePart(part.source).evaluate(scope)),
    ),
  );
  return pieces.join('');
}

function interpolate(value: unknown): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Evaluates a condition written with or without `${ }`, using JSONata's truthiness. */
export async function evaluateCondition(expr: string, scope: ExpressionScope): Promise<boolean> {
  return isTruthy(await compileExpression(expr).evaluate(scope));
}

/**
 * JSONata's `$boolean`: empty strings, 0, null, undefined, empty arrays and
 * objects are false; an array is true when any member is.
 */
export function isTruthy(value: unknown): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  if (typeof value === 'string') return value.length > 0;
  if (Array.isArray(value)) return value.some(isTruthy);
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return false;
}

/**
 * The first path segment of every `${...}` in a template (step names, `input`,
 * loop variables...), in order of appearance, without duplicates. Text that
 * does not parse contributes nothing: the validator reports it separately.
 */
export function referencedSteps(template: unknown): string[] {
  const names = new Set<string>();
  collect(template, names);
  return [...names];
}

function collect(template: unknown, names: Set<string>): void {
  if (typeof template === 'string') {
    if (!hasExpressions(template)) return;
    let parts;
    try {
      parts = scanTemplate(template).parts;
    } catch {
      return;
    }
    for (const part of parts) {
      if (part.kind !== 'expr') continue;
      try {
        for (const ref of compileTemplatePart(part.source).references) names.add(ref.name);
      } catch {
        // Unparseable parts are reported by the validator with their position.
      }
    }
  } else if (Array.isArray(template)) {
    for (const item of template) collect(item, names);
  } else if (isPlainObject(template)) {
    for (const value of Object.values(template)) collect(value, names);
  }
}
