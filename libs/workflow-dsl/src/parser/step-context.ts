import type { RetryPolicy, Template } from '../model/workflow.types';
import { childPath } from '../util/doc-path';
import type { DocReader } from './doc.reader';

export interface StepParseContext {
  readonly reader: DocReader;
  /** The workflow's policy, which a step's `retry` overrides field by field. */
  readonly workflowRetry: RetryPolicy;
  /** Every step name seen, even on steps too broken to build, so references to them still resolve. */
  readonly declaredNames: Set<string>;
}

/** Conditions are kept as written; the validator compiles them and reports positions. */
export function readCondition(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  ctx: StepParseContext,
): string | undefined {
  const value = obj[key];
  if (typeof value === 'boolean') return String(value);
  return ctx.reader.string(obj, key, path);
}

export function readTemplate(
  obj: Record<string, unknown>,
  key: string,
  path: string,
  ctx: StepParseContext,
): Template | undefined {
  return obj[key] === undefined ? undefined : ctx.reader.json(obj[key], childPath(path, key));
}

/** Spreads `{ key: value }` only when the value is present, keeping the AST free of undefined. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
