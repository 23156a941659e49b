import { RE2JS, type Matcher } from 're2js';

/**
 * Tenant regexes run on RE2 (re2js, a pure-JS port): matching time is linear
 * in the input whatever the pattern, so `(a+)+$` cannot stall a service.
 * The price is RE2's syntax: no backreferences and no lookaround.
 */
export class RegexRejectedError extends Error {
  constructor(
    readonly pattern: string,
    reason: string,
  ) {
    super(
      `not a supported regular expression (${reason}); backreferences and lookaround are not available`,
    );
    this.name = 'RegexRejectedError';
  }
}

/** Longest pattern accepted: RE2 programs grow with the pattern and are kept per rule. */
export const MAX_PATTERN_LENGTH = 10_000;

const FLAG_BITS: Record<string, number> = {
  i: RE2JS.CASE_INSENSITIVE,
  m: RE2JS.MULTILINE,
  s: RE2JS.DOTALL,
  // RE2 always matches by code point; `u` and JSONata's implicit `g` change nothing here.
  u: 0,
  g: 0,
};

export interface LinearRegex {
  readonly source: string;
  /** True when the pattern matches anywhere in `text`. */
  test(text: string): boolean;
}

/** Compiles a tenant pattern; throws RegexRejectedError with RE2's reason. */
export function compileLinearRegex(pattern: string, flags = ''): LinearRegex {
  const compiled = compileRe2(pattern, flags);
  return { source: pattern, test: (text) => compiled.test(text) };
}

function compileRe2(pattern: string, flags: string): RE2JS {
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw new RegexRejectedError(pattern, `longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  let bits = 0;
  for (const flag of flags) {
    const bit = FLAG_BITS[flag];
    if (bit === undefined) throw new RegexRejectedError(pattern, `unknown flag ${flag}`);
    bits |= bit;
  }
  try {
    return RE2JS.compile(pattern, bits);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new RegexRejectedError(pattern, reason.replace(/^error parsing regexp: /, ''));
  }
}

/**
 * What JSONata's `RegexEngine` option expects (see evaluateRegex in
 * jsonata.js): `new Engine(regExpLiteral)`, then `lastIndex` set before each
 * `exec(str)`, and `lastIndex` read back after a match to find the next one.
 */
export class Re2RegexEngine {
  lastIndex = 0;
  private readonly re: RE2JS;
  private matcher?: Matcher;
  private text?: string;

  constructor(literal: RegExp) {
    this.re = compileRe2(literal.source, literal.flags);
  }

  exec(text: string): RegExpExecArray | null {
    if (this.lastIndex > text.length) return null;
    // JSONata walks one string match by match: reusing the matcher keeps that linear.
    if (this.text !== text || !this.matcher) {
      this.matcher = this.re.matcher(text);
      this.text = text;
    }
    const matcher = this.matcher;
    if (!matcher.find(this.lastIndex)) return null;
    const groups: (string | undefined)[] = [matcher.group(0) ?? ''];
    for (let i = 1; i <= matcher.groupCount(); i++) groups.push(matcher.group(i) ?? undefined);
    const result = Object.assign(groups, {
      index: matcher.start(),
      input: text,
      groups: undefined,
    });
    this.lastIndex = matcher.end();
    return result as unknown as RegExpExecArray;
  }
}

/** `text` as a pattern matching exactly itself. */
export function quoteRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

/** Checks a pattern the way the engine will compile it, for errors at creation time. */
export function checkRegexLiteral(literal: RegExp): void {
  compileRe2(literal.source, literal.flags);
}

/**
 * Ajv's `code.regExp` option, so that `pattern` and `patternProperties` in
 * tenant JSON Schemas run on RE2 too; an unsupported pattern makes the
 * schema fail to compile, which callers report when the schema is created.
 */
export const linearRegExpForAjv = Object.assign(
  (pattern: string, flags: string): LinearRegex => compileLinearRegex(pattern, flags),
  { code: 'require("@baton/tenant-code").linearRegExpForAjv' },
);
