import fc from 'fast-check';

/**
 * The values that break input handling, as fast-check arbitraries. Sizes stay
 * moderate on purpose: bodies past 1 MiB, nesting past ~200 levels and alias
 * bombs are another engineer's classes (parser limits), and sampling them here
 * would only find those again.
 */

/** Keys that reach Object.prototype when code copies a body with `obj[key] = ...`. */
export const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'prototype'] as const;

const CONTROL_CHARS = fc.string({
  unit: fc.constantFrom('\u0000', '\u0001', '\u0007', '\b', '\t', '\n', '\r', '\u001b', '\u007f'),
  maxLength: 20,
});

/** Strings people do not expect: unicode, lone surrogates, control characters, path tricks, huge. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  CONTROL_CHARS,
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\ud800',
    '\udfff',
    '\ufeff',
    '\u202e',
    '😀',
    '../../etc/passwd',
    '..%2f..%2f',
    '%00',
    '%',
    '%zz',
    "'; DROP TABLE runs; --",
    '${1+1}',
    '{{7*7}}',
    '$$.x',
    '<script>alert(1)</script>',
    'null',
    'undefined',
    'NaN',
    '-0',
    'Infinity',
    '1e309',
    '9007199254740993',
    '0x1f',
    'true',
    '[]',
    '{}',
    'http://169.254.169.254/latest/meta-data/',
    'file:///etc/passwd',
    '*',
    '**',
    '.',
    '..',
  ),
  fc.nat({ max: 70_000 }).map((n) => 'a'.repeat(n)),
  fc.tuple(fc.string({ maxLength: 4 }), fc.nat({ max: 5_000 })).map(([s, n]) => s.repeat(n)),
);

/** Numbers at the edges: -0, huge, fractional where an integer is wanted, and numeric-looking strings. */
export const hostileNumber: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    -0,
    0,
    -1,
    1.5,
    Number.MAX_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER + 2,
    Number.MIN_SAFE_INTEGER,
    Number.MAX_VALUE,
    Number.MIN_VALUE,
    1e21,
    -1e21,
    2 ** 31,
    2 ** 63,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom('NaN', 'Infinity', '-Infinity', '1e999', '0x10', '١٢٣', ' 12 ', '12abc', ''),
);

/** Any JSON value, of moderate depth and size. */
export const jsonValue: fc.Arbitrary<unknown> = fc.jsonValue({ maxDepth: 6 });

/** Object keys, now and then one that reaches a prototype. */
export const objectKey: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 12 }), weight: 6 },
  { arbitrary: fc.constantFrom(...PROTOTYPE_KEYS), weight: 1 },
  { arbitrary: hostileString.filter((s) => s.length < 200), weight: 1 },
);

/** Any JSON value whose scalars include the hostile ones. */
export const hostileJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    hostileNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 6 }),
    fc.dictionary(objectKey, tie('value'), { maxKeys: 6 }),
  ),
})).value;

/**
 * Sets `key` as an own enumerable property, so that JSON.stringify writes a
 * literal "__proto__" key (plain assignment would set the prototype instead).
 */
export function withOwnKey<T extends object>(target: T, key: string, value: unknown): T {
  Object.defineProperty(target, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
  return target;
}

/** A plain object built with own keys, so that "__proto__" survives into JSON. */
export function objectFrom(entries: [string, unknown][]): Record<string, unknown> {
  const target: Record<string, unknown> = {};
  for (const [key, value] of entries) withOwnKey(target, key, value);
  return target;
}

/** JSON text that is not valid JSON, or valid but of the wrong shape at the top. */
export const brokenJsonText: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    '{',
    '{"a":',
    '[1,2',
    '{"a":1}{"b":2}',
    'null',
    'true',
    '42',
    '"string"',
    '[]',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    '{"a":1,"a":2}',
    '\ufeff{}',
    '{"a":NaN}',
    "{'a':1}",
    '{"a":1e99999}',
    '{"a":-0}',
  ),
  jsonValue.map((v) => JSON.stringify(v)),
  jsonValue.chain((v) => {
    const text = JSON.stringify(v) ?? 'null';
    return fc.nat({ max: text.length }).map((cut) => text.slice(0, cut));
  }),
  fc.string({ unit: 'binary', maxLength: 200 }),
);
