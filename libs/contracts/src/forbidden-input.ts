import type { FieldError } from './errors';

/**
 * Keys that name an object's machinery rather than its data. class-transformer
 * reads an own `constructor` as the class to build a nested object with (and
 * throws: a 500 for any body holding one), and drops both keys silently
 * everywhere else; so a body that holds one is refused, naming where.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor']);

/**
 * What Postgres text and jsonb cannot hold, so that a query or insert with it
 * fails: U+0000, and a lone UTF-16 surrogate (JSON allows "\udfff"; UTF-8 has no
 * encoding for it).
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what is looked for
const UNSTORABLE = /\u0000|\p{Cs}/u;
const UNSTORABLE_MESSAGE = 'must not contain U+0000 or an unpaired surrogate';

/**
 * The first thing in a parsed JSON value that no service can take: an own
 * `__proto__` or `constructor` key, or a string (value or key) that Postgres cannot store.
 * Named by its path (`a.b[2].c`). Walks with its own stack, so a deep value
 * cannot overflow the call stack here.
 */
export function forbiddenInput(value: unknown, root: string): FieldError | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (typeof current === 'string') {
      if (UNSTORABLE.test(current)) return { field: path, message: UNSTORABLE_MESSAGE };
      continue;
    }
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(current)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) {
        return { field: keyPath, message: 'a key named __proto__ or constructor is not accepted' };
      }
      if (UNSTORABLE.test(key))
        return { field: path || root, message: `keys ${UNSTORABLE_MESSAGE}` };
      stack.push({ value: (current as Record<string, unknown>)[key], path: keyPath });
    }
  }
  return undefined;
}
