import jsonata from 'jsonata';
import { BudgetExceededError } from './budget-exceeded.error';
import { tenantCodeBudgets } from './budgets';
import { guardedFunctions } from './guarded-functions';
import { checkRegexLiteral, Re2RegexEngine, RegexRejectedError } from './linear-regex';
import { measureValue } from './value-size';

/** A compiled tenant expression; every evaluation runs under the process's budgets. */
export interface BoundedExpression {
  readonly ast: jsonata.ExprNode;
  /**
   * Rejects with BudgetExceededError when a budget runs out, else with
   * JSONata's own error object (code, position, message) as before.
   */
  evaluate(input: unknown): Promise<unknown>;
}

/**
 * The options object is read by JSONata on every evaluation, so getters let
 * budgets configured after an expression was compiled (and cached) apply.
 */
const OPTIONS = {
  RegexEngine: Re2RegexEngine as unknown as RegExpConstructor,
  get timeout(): number {
    return tenantCodeBudgets().timeMs;
  },
  get stack(): number {
    return tenantCodeBudgets().maxDepth;
  },
  get sequence(): number {
    return tenantCodeBudgets().maxArrayLength;
  },
};

const EVALUATE_EXIT = Symbol.for('jsonata.__evaluate_exit');

/** How long one evaluation may hold the event loop before it lets other work run. */
export const EVALUATION_SLICE_MS = 10;

const SLICE_STARTED = Symbol('baton.sliceStarted');
const NODES_SEEN = Symbol('baton.nodesSeen');

interface EvaluationFrame {
  /** JSONata's per-evaluation environment, shared by every frame of one evaluation. */
  base?: { [SLICE_STARTED]?: number; [NODES_SEEN]?: number };
}

/**
 * Every node's result passes here (JSONata's own hook, as in its test
 * suite's timeboxExpression), so a value outgrowing its budget stops the
 * evaluation at the step that grew it. Strings and arrays are O(1) to check;
 * objects are measured with an early exit at the limit.
 *
 * JSONata awaits the hook, and awaiting only resolved values never yields to
 * the event loop: an evaluation would hold it for its whole time budget. So
 * past a slice the hook returns a promise settled by setImmediate, and other
 * requests (timers, I/O) run between slices of a long evaluation.
 */
function checkResult(
  _expr: unknown,
  _input: unknown,
  frame: EvaluationFrame,
  result: unknown,
): Promise<void> | undefined {
  checkSize(result);
  const base = frame.base;
  if (!base) return undefined;
  // The clock is read every 64 nodes only: an ordinary template has fewer in all.
  const nodes = (base[NODES_SEEN] = (base[NODES_SEEN] ?? 0) + 1);
  if ((nodes & 63) !== 0) return undefined;
  const now = performance.now();
  const started = (base[SLICE_STARTED] ??= now);
  if (now - started < EVALUATION_SLICE_MS) return undefined;
  return new Promise<void>((resolve) =>
    setImmediate(() => {
      base[SLICE_STARTED] = performance.now();
      resolve();
    }),
  );
}

function checkSize(result: unknown): void {
  const budgets = tenantCodeBudgets();
  if (typeof result === 'string') {
    if (result.length > budgets.maxValueSize) {
      throw new BudgetExceededError('value size', budgets.maxValueSize);
    }
  } else if (Array.isArray(result)) {
    if (result.length > budgets.maxArrayLength) {
      throw new BudgetExceededError('array length', budgets.maxArrayLength);
    }
    if (measureValue(result, budgets.maxValueSize) > budgets.maxValueSize) {
      throw new BudgetExceededError('value size', budgets.maxValueSize);
    }
  } else if (result !== null && typeof result === 'object') {
    if (measureValue(result, budgets.maxValueSize) > budgets.maxValueSize) {
      throw new BudgetExceededError('value size', budgets.maxValueSize);
    }
  }
}

/**
 * Compiles tenant JSONata with RE2 for its regexes, guarded allocating
 * built-ins and the result-size hook. Throws JSONata's parse error object as
 * jsonata() does, or RegexRejectedError (with the literal's `position`) for a
 * regex RE2 cannot run.
 */
export function compileBoundedJsonata(text: string): BoundedExpression {
  const expression = jsonata(text, OPTIONS);
  checkRegexLiterals(expression.ast());
  expression.assign(EVALUATE_EXIT as unknown as string, checkResult);
  for (const fn of guardedFunctions(tenantCodeBudgets)) {
    expression.registerFunction(fn.name, fn.implementation, fn.signature);
  }
  return {
    ast: expression.ast(),
    async evaluate(input: unknown): Promise<unknown> {
      try {
        return (await expression.evaluate(input)) as unknown;
      } catch (error) {
        throw asBudgetError(error) ?? error;
      }
    },
  };
}

/** JSONata's own guardrail codes and V8's last-resort errors, named as budgets. */
function asBudgetError(error: unknown): BudgetExceededError | undefined {
  if (error instanceof BudgetExceededError) return error;
  const budgets = tenantCodeBudgets();
  if (error instanceof RangeError) {
    return /call stack/i.test(error.message)
      ? new BudgetExceededError('depth', budgets.maxDepth)
      : new BudgetExceededError('value size', budgets.maxValueSize);
  }
  if (typeof error !== 'object' || error === null) return undefined;
  switch ((error as { code?: unknown }).code) {
    case 'D1012':
      return new BudgetExceededError('time', budgets.timeMs);
    case 'D1011':
      return new BudgetExceededError('depth', budgets.maxDepth);
    case 'D2014':
    case 'D2015':
      return new BudgetExceededError('array length', budgets.maxArrayLength);
    default:
      return undefined;
  }
}

/** Regex literals are compiled by RE2 now, so an unsupported one is a creation-time error. */
function checkRegexLiterals(ast: jsonata.ExprNode): void {
  const pending: unknown[] = [ast];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      pending.push(...(node as unknown[]));
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const record = node as Record<string, unknown>;
    if (record.type === 'regex' && record.value instanceof RegExp) {
      try {
        checkRegexLiteral(record.value);
      } catch (error) {
        const position = typeof record.position === 'number' ? record.position : undefined;
        throw Object.assign(error as RegexRejectedError, { position, code: 'REGEX' });
      }
    }
    for (const [key, value] of Object.entries(record)) {
      if (key !== 'value' && typeof value === 'object') pending.push(value);
    }
  }
}
