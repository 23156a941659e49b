import jsonata from 'jsonata';
import { BudgetExceededError } from './budget-exceeded.error';
import type { TenantCodeBudgets } from './budgets';
import { measureValue } from './value-size';

/**
 * Built-ins that allocate their whole result inside one call, before the
 * exit hook can look at it. Each is replaced by the same function with its
 * result size checked first, from its arguments, so `$pad('', 1e9)` is
 * refused before a byte is allocated.
 */
interface BuiltIn {
  implementation: (...args: unknown[]) => unknown;
  signature: { definition: string };
}

export interface GuardedFunction {
  readonly name: string;
  readonly signature: string;
  readonly implementation: (this: unknown, ...args: unknown[]) => unknown;
}

type Budgets = () => TenantCodeBudgets;

/** Reads JSONata's own built-in, so the guarded one behaves exactly as it does. */
async function builtIn(name: string): Promise<BuiltIn> {
  return (await jsonata(`$${name}`).evaluate({})) as BuiltIn;
}

interface BuiltIns {
  pad: BuiltIn;
  join: BuiltIn;
  replace: BuiltIn;
  string: BuiltIn;
}

let loaded: Promise<BuiltIns> | undefined;

/** JSONata hands its built-ins out only from an evaluation, so they are read once, lazily. */
function builtIns(): Promise<BuiltIns> {
  loaded ??= Promise.all(['pad', 'join', 'replace', 'string'].map(builtIn)).then(
    ([pad, join, replace, string]) => ({ pad, join, replace, string }),
  );
  return loaded;
}

function refuseOver(size: number, budgets: TenantCodeBudgets): void {
  if (size > budgets.maxValueSize)
    throw new BudgetExceededError('value size', budgets.maxValueSize);
}

/** Upper bound of $replace's result, from the matches it will make (linear under RE2). */
async function replaceBound(
  str: string,
  pattern: unknown,
  replacement: string,
  limit: unknown,
  budget: number,
): Promise<number> {
  const dollars = replacement.split('$').length - 1;
  const max = typeof limit === 'number' ? limit : Infinity;
  let bound = str.length;
  let count = 0;
  if (typeof pattern === 'string') {
    if (pattern === '') return bound;
    for (
      let at = str.indexOf(pattern);
      at !== -1 && count < max && bound <= budget;
      at = str.indexOf(pattern, at + pattern.length)
    ) {
      bound += replacement.length + dollars * pattern.length;
      count++;
    }
    return bound;
  }
  // JSONata hands native functions its regex matcher wrapped, answering with promises.
  type Match = { match: string; next(): Match | Promise<Match> } | undefined;
  let match = await (pattern as (s: string) => Match | Promise<Match>)(str);
  // Counting stops as soon as the bound is over: no need to find every match to refuse.
  while (match && count < max && bound <= budget) {
    bound += replacement.length + dollars * match.match.length;
    count++;
    match = await match.next();
  }
  return bound;
}

/** A JSONata function value: JSONata calls it through its `apply`. */
interface Replacer {
  apply(self: unknown, args: unknown[]): unknown;
}

/**
 * A function replacement of $replace, wrapped so that the replacements it
 * returns are counted as they come: JSONata concatenates the result inside
 * one call, so the whole string would exist before the exit hook could look
 * at it. The sum of the input and every replacement bounds the result.
 */
export function boundedReplacer(replacer: Replacer, inputLength: number, budget: number): Replacer {
  let total = inputLength;
  return {
    async apply(self: unknown, args: unknown[]): Promise<unknown> {
      const replaced = await replacer.apply(self, args);
      if (typeof replaced === 'string') {
        total += replaced.length;
        if (total > budget) throw new BudgetExceededError('value size', budget);
      }
      return replaced;
    },
  };
}

/** Signatures as JSONata declares them (jsonata.js, staticFrame.bind). */
const SIGNATURES = {
  pad: '<s-ns?:s>',
  join: '<a<s>s?:s>',
  replace: '<s-(sf)(sf)n?:s>',
  string: '<x-b?:s>',
} as const;

export function guardedFunctions(budgets: Budgets): GuardedFunction[] {
  return [
    {
      name: 'pad',
      signature: SIGNATURES.pad,
      async implementation(this: unknown, ...args: unknown[]) {
        const [str, width, char] = args as [string | undefined, number, string | undefined];
        const padded = Math.abs(Math.trunc(width)) * Math.max(1, char?.length ?? 1);
        refuseOver(Math.max(str?.length ?? 0, padded), budgets());
        return (await builtIns()).pad.implementation.apply(this, args);
      },
    },
    {
      name: 'join',
      signature: SIGNATURES.join,
      async implementation(this: unknown, ...args: unknown[]) {
        const [strings, separator] = args as [string[] | string | undefined, string | undefined];
        if (Array.isArray(strings)) {
          const sep = (separator?.length ?? 0) * strings.length;
          refuseOver(
            strings.reduce((sum, s) => sum + s.length, sep),
            budgets(),
          );
        }
        return (await builtIns()).join.implementation.apply(this, args);
      },
    },
    {
      name: 'replace',
      signature: SIGNATURES.replace,
      async implementation(this: unknown, ...args: unknown[]) {
        const [str, pattern, replacement, limit] = args;
        if (typeof str !== 'string')
          return (await builtIns()).replace.implementation.apply(this, args);
        const budget = budgets().maxValueSize;
        if (typeof replacement === 'string' || typeof pattern === 'string') {
          // JSONata pastes a non-string replacement of a string pattern as its text.
          const text = typeof replacement === 'string' ? replacement : String(replacement);
          refuseOver(await replaceBound(str, pattern, text, limit, budget), budgets());
          return (await builtIns()).replace.implementation.apply(this, args);
        }
        const bounded = boundedReplacer(replacement as Replacer, str.length, budget);
        return (await builtIns()).replace.implementation.apply(this, [
          str,
          pattern,
          bounded,
          limit,
        ]);
      },
    },
    {
      name: 'string',
      signature: SIGNATURES.string,
      async implementation(this: unknown, ...args: unknown[]) {
        const limit = budgets().maxValueSize;
        refuseOver(measureValue(args[0], limit), budgets());
        return (await builtIns()).string.implementation.apply(this, args);
      },
    },
  ];
}
