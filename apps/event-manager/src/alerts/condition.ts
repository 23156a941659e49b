import { parseDuration } from '@baton/workflow-dsl';

/**
 * The alert condition language, e.g. `error_rate > 0.05`,
 * `p95_latency_ms[1m] >= 2000 and success_rate < 0.99`,
 * `(runs_failed > 3 or dead_letters > 0) and breaker_open == 0`.
 *
 *   condition   := disjunction END
 *   disjunction := conjunction ('or' conjunction)*
 *   conjunction := term ('and' term)*
 *   term        := '(' disjunction ')' | comparison
 *   comparison  := METRIC ('[' DURATION ']')? OPERATOR NUMBER
 *
 * A hand-written recursive-descent parser (ADR 0026): the grammar is five
 * lines, and it lets every error name the token and its position.
 */

export const METRICS = [
  'error_rate',
  'success_rate',
  'p95_latency_ms',
  'runs_failed',
  'queue_lag',
  'dead_letters',
  'breaker_open',
  'consumer_lag',
  'services_not_ready',
  'budget_used',
] as const;
export type MetricName = (typeof METRICS)[number];

export const OPERATORS = ['>', '>=', '<', '<=', '=='] as const;
export type Operator = (typeof OPERATORS)[number];

export interface Comparison {
  kind: 'compare';
  metric: MetricName;
  /** The comparison's own window, or null for the rule's. */
  windowMs: number | null;
  operator: Operator;
  value: number;
}

export type Condition = Comparison | { kind: 'and' | 'or'; left: Condition; right: Condition };

/** Bounds, so a hostile condition cannot make evaluation expensive. */
export const MAX_CONDITION_LENGTH = 1_000;
const MAX_COMPARISONS = 20;
const MAX_WINDOW_MS = 7 * 86_400_000;
const MIN_WINDOW_MS = 1_000;

export class ConditionError extends Error {
  constructor(
    message: string,
    /** 0-based offset of the offending token in the condition. */
    readonly position: number,
    readonly token: string,
  ) {
    super(message);
  }
}

type TokenKind = 'word' | 'number' | 'op' | '(' | ')' | '[' | ']' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  position: number;
}

const TOKEN = /\s*(?:(>=|<=|==|>|<)|([()[\]])|(\d+(?:\.\d+)?(?:[a-z]+)?)|([a-z_][a-z0-9_]*))/y;

export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  TOKEN.lastIndex = 0;
  let offset = 0;
  while (offset < source.length) {
    if (/^\s*$/.test(source.slice(offset))) break;
    TOKEN.lastIndex = offset;
    const match = TOKEN.exec(source);
    if (!match) {
      const position =
        offset + (source.slice(offset).length - source.slice(offset).trimStart().length);
      const text = source.slice(position).split(/\s/)[0].slice(0, 20);
      throw new ConditionError(`unexpected '${text}' at position ${position}`, position, text);
    }
    const text = match[1] ?? match[2] ?? match[3] ?? match[4];
    const position = TOKEN.lastIndex - text.length;
    const kind: TokenKind = match[1]
      ? 'op'
      : match[2]
        ? (match[2] as TokenKind)
        : match[3]
          ? 'number'
          : 'word';
    tokens.push({ kind, text, position });
    offset = TOKEN.lastIndex;
  }
  tokens.push({ kind: 'end', text: 'end of condition', position: source.length });
  return tokens;
}

/** Parses a condition; throws ConditionError naming the token and where it is. */
export function parseCondition(source: string): Condition {
  if (source.length > MAX_CONDITION_LENGTH) {
    throw new ConditionError(
      `is longer than ${MAX_CONDITION_LENGTH} characters`,
      MAX_CONDITION_LENGTH,
      '',
    );
  }
  const parser = new Parser(tokenize(source));
  const condition = parser.disjunction();
  parser.expect('end', 'and, or or the end of the condition');
  if (comparisons(condition).length > MAX_COMPARISONS) {
    throw new ConditionError(`has more than ${MAX_COMPARISONS} comparisons`, 0, '');
  }
  return condition;
}

class Parser {
  private index = 0;

  constructor(private readonly tokens: Token[]) {}

  disjunction(): Condition {
    let left = this.conjunction();
    while (this.peek().kind === 'word' && this.peek().text === 'or') {
      this.index++;
      left = { kind: 'or', left, right: this.conjunction() };
    }
    return left;
  }

  private conjunction(): Condition {
    let left = this.term();
    while (this.peek().kind === 'word' && this.peek().text === 'and') {
      this.index++;
      left = { kind: 'and', left, right: this.term() };
    }
    return left;
  }

  private term(): Condition {
    if (this.peek().kind === '(') {
      this.index++;
      const inner = this.disjunction();
      this.expect(')', "')'");
      return inner;
    }
    return this.comparison();
  }

  private comparison(): Comparison {
    const metric = this.expect('word', `a metric (${METRICS.join(', ')})`);
    if (!(METRICS as readonly string[]).includes(metric.text)) {
      throw new ConditionError(
        `unknown metric '${metric.text}' at position ${metric.position}; known: ${METRICS.join(', ')}`,
        metric.position,
        metric.text,
      );
    }
    let windowMs: number | null = null;
    if (this.peek().kind === '[') {
      this.index++;
      const duration = this.expect('number', 'a window like 5m');
      windowMs = windowOf(duration);
      this.expect(']', "']'");
    }
    const operator = this.expect('op', `a comparison (${OPERATORS.join(' ')})`);
    const number = this.expect('number', 'a number');
    if (!/^\d+(\.\d+)?$/.test(number.text)) {
      throw new ConditionError(
        `'${number.text}' at position ${number.position} is not a number`,
        number.position,
        number.text,
      );
    }
    return {
      kind: 'compare',
      metric: metric.text as MetricName,
      windowMs,
      operator: operator.text as Operator,
      value: Number(number.text),
    };
  }

  peek(): Token {
    return this.tokens[this.index];
  }

  expect(kind: TokenKind, what: string): Token {
    const token = this.peek();
    if (token.kind !== kind) {
      const shown = token.kind === 'end' ? token.text : `'${token.text}'`;
      throw new ConditionError(
        `expected ${what} at position ${token.position}, found ${shown}`,
        token.position,
        token.text,
      );
    }
    this.index++;
    return token;
  }
}

function windowOf(token: Token): number {
  let ms: number;
  try {
    ms = parseDuration(token.text);
  } catch {
    throw new ConditionError(
      `'${token.text}' at position ${token.position} is not a window like 30s, 5m or 1h`,
      token.position,
      token.text,
    );
  }
  if (ms < MIN_WINDOW_MS || ms > MAX_WINDOW_MS) {
    throw new ConditionError(
      `window '${token.text}' at position ${token.position} must be between 1s and 7d`,
      token.position,
      token.text,
    );
  }
  return ms;
}

/** Every comparison of a condition, left to right. */
export function comparisons(condition: Condition): Comparison[] {
  return condition.kind === 'compare'
    ? [condition]
    : [...comparisons(condition.left), ...comparisons(condition.right)];
}

/** The value a comparison reads; null when there is no data (no tasks in the window). */
export type MetricLookup = (comparison: Comparison) => number | null;

/** True when the condition holds; a comparison without data never holds. */
export function evaluateCondition(condition: Condition, lookup: MetricLookup): boolean {
  switch (condition.kind) {
    case 'and':
      return (
        evaluateCondition(condition.left, lookup) && evaluateCondition(condition.right, lookup)
      );
    case 'or':
      return (
        evaluateCondition(condition.left, lookup) || evaluateCondition(condition.right, lookup)
      );
    case 'compare': {
      const value = lookup(condition);
      return value !== null && compare(value, condition.operator, condition.value);
    }
  }
}

function compare(value: number, operator: Operator, threshold: number): boolean {
  switch (operator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
    case '==':
      return value === threshold;
  }
}
