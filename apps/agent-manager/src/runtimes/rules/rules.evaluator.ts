import { isObject } from '@baton/contracts';
import type { FieldError } from '@baton/contracts';
import { compileLinearRegex, quoteRegex, type LinearRegex } from '@baton/tenant-code';
import { compileExpression, evaluateTemplate, isTruthy } from '@baton/workflow-dsl';

/**
 * The `rules` runtime: a declarative classifier/router. Rules are tried in
 * order; the first whose `when` matches gives the output, else `default`.
 *
 *   config:
 *     field: text                         # what keywords/regex read (optional)
 *     rules:
 *       - when: { keywords: [invoice, refund] }
 *         output: { category: billing, context: { text: '${input.text}' } }
 *       - when: { regex: '\\b(error|crash)\\b', flags: i }
 *         output: { category: technical }
 *       - when: { expression: "category = 'billing'" }   # JSONata over the input
 *         output: { specialist: billing-agent }
 *     default: { category: general }
 *
 * Outputs are templates: `${...}` reads `input` (and the input's own fields).
 */
export type Condition =
  | { kind: 'keywords'; patterns: LinearRegex[]; field?: string }
  | { kind: 'regex'; pattern: LinearRegex; field?: string }
  | { kind: 'expression'; source: string };

export interface CompiledRule {
  condition: Condition;
  output: unknown;
}

export interface RulesProgram {
  rules: CompiledRule[];
  field?: string;
  hasDefault: boolean;
  default: unknown;
}

export type RulesOutcome = { matched: number | 'default'; output: unknown };

export class NoRuleMatched extends Error {
  constructor() {
    super('no rule matched the input and config.default is not set');
    this.name = 'NoRuleMatched';
  }
}

const MAX_RULES = 500;

/** Checks and compiles `config`; every problem is named with its field, as a 422 needs. */
export function compileRules(
  config: Record<string, unknown>,
): { ok: true; program: RulesProgram } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const field = optionalField(config.field, 'config.field', errors);
  const rawRules = config.rules;
  if (!Array.isArray(rawRules)) {
    errors.push({ field: 'config.rules', message: 'must be a list of { when, output }' });
    return { ok: false, errors };
  }
  if (rawRules.length > MAX_RULES) {
    errors.push({ field: 'config.rules', message: `must have at most ${MAX_RULES} rules` });
  }
  const rules: CompiledRule[] = [];
  rawRules.forEach((raw: unknown, index) => {
    const at = `config.rules[${index}]`;
    if (!isObject(raw) || !isObject(raw.when)) {
      errors.push({ field: `${at}.when`, message: 'must be an object' });
      return;
    }
    if (!('output' in raw)) errors.push({ field: `${at}.output`, message: 'is required' });
    const condition = compileCondition(raw.when, `${at}.when`, errors);
    if (condition) rules.push({ condition, output: raw.output });
  });
  const hasDefault = 'default' in config;
  if (rules.length === 0 && !hasDefault && errors.length === 0) {
    errors.push({ field: 'config.rules', message: 'needs at least one rule or a default' });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, program: { rules, field, hasDefault, default: config.default } };
}

function compileCondition(
  when: Record<string, unknown>,
  at: string,
  errors: FieldError[],
): Condition | undefined {
  const kinds = ['keywords', 'regex', 'expression'].filter((kind) => kind in when);
  if (kinds.length !== 1) {
    errors.push({ field: at, message: 'must have exactly one of keywords, regex or expression' });
    return undefined;
  }
  const field = optionalField(when.field, `${at}.field`, errors);
  if (kinds[0] === 'keywords') {
    const keywords = when.keywords;
    if (
      !Array.isArray(keywords) ||
      keywords.length === 0 ||
      !keywords.every((k) => typeof k === 'string' && k.trim() !== '')
    ) {
      errors.push({ field: `${at}.keywords`, message: 'must be a non-empty list of words' });
      return undefined;
    }
    return { kind: 'keywords', patterns: (keywords as string[]).map(keywordPattern), field };
  }
  if (kinds[0] === 'regex') {
    if (typeof when.regex !== 'string' || when.regex === '') {
      errors.push({ field: `${at}.regex`, message: 'must be a regular expression' });
      return undefined;
    }
    const flags = when.flags === undefined ? 'i' : when.flags;
    if (typeof flags !== 'string' || !/^[imsu]*$/.test(flags)) {
      errors.push({ field: `${at}.flags`, message: 'must be made of the flags i, m, s, u' });
      return undefined;
    }
    // RE2: matching stays linear in the text whatever a tenant writes.
    try {
      return { kind: 'regex', pattern: compileLinearRegex(when.regex, flags), field };
    } catch (error) {
      errors.push({ field: `${at}.regex`, message: (error as Error).message });
      return undefined;
    }
  }
  if (typeof when.expression !== 'string' || when.expression.trim() === '') {
    errors.push({ field: `${at}.expression`, message: 'must be a JSONata expression' });
    return undefined;
  }
  try {
    compileExpression(when.expression);
  } catch (error) {
    errors.push({ field: `${at}.expression`, message: (error as Error).message });
    return undefined;
  }
  return { kind: 'expression', source: when.expression };
}

function optionalField(value: unknown, at: string, errors: FieldError[]): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(value)) {
    errors.push({ field: at, message: 'must be a field path such as text or message.body' });
    return undefined;
  }
  return value;
}

/**
 * Whole words or phrases, any case: "bill" matches "my bill" but not
 * "billion". RE2 has no lookaround, so the word edges are matched as
 * "start/end of text or a character that is not a letter or digit".
 */
function keywordPattern(keyword: string): LinearRegex {
  const words = keyword.trim().split(/\s+/).map(quoteRegex).join('\\s+');
  return compileLinearRegex(`(?:^|[^\\p{L}\\p{N}])${words}(?:$|[^\\p{L}\\p{N}])`, 'i');
}

/** The text keywords and regexes read: a named field, else the usual text fields, else the JSON. */
export function textOf(input: unknown, field?: string): string {
  if (typeof input === 'string') return input;
  if (field) {
    let value: unknown = input;
    for (const part of field.split('.')) value = isObject(value) ? value[part] : undefined;
    if (value === undefined || value === null) return '';
    return typeof value === 'string' ? value : JSON.stringify(value);
  }
  if (isObject(input)) {
    for (const name of ['text', 'message', 'content', 'body']) {
      if (typeof input[name] === 'string') return input[name];
    }
  }
  return input === undefined ? '' : JSON.stringify(input);
}

/** What expressions and output templates read: `input`, and the input's fields at the top. */
export function rulesScope(input: unknown): Record<string, unknown> {
  return { ...(isObject(input) ? input : {}), input };
}

export async function evaluateRules(program: RulesProgram, input: unknown): Promise<RulesOutcome> {
  const scope = rulesScope(input);
  for (const [index, rule] of program.rules.entries()) {
    if (await matches(rule.condition, input, scope, program.field)) {
      return { matched: index, output: await evaluateTemplate(rule.output, scope) };
    }
  }
  if (!program.hasDefault) throw new NoRuleMatched();
  return { matched: 'default', output: await evaluateTemplate(program.default, scope) };
}

async function matches(
  condition: Condition,
  input: unknown,
  scope: Record<string, unknown>,
  defaultField?: string,
): Promise<boolean> {
  switch (condition.kind) {
    case 'keywords': {
      const text = textOf(input, condition.field ?? defaultField);
      return condition.patterns.some((pattern) => pattern.test(text));
    }
    case 'regex':
      return condition.pattern.test(textOf(input, condition.field ?? defaultField));
    case 'expression':
      return isTruthy(await compileExpression(condition.source).evaluate(scope));
  }
}
