/**
 * Keys that name an object's machinery rather than its data. class-transformer
 * reads an own `constructor` as the class to build a nested object with (and
 * throws: a 500 for any body holding one), and drops both keys silently
 * everywhere else; so a body that holds one is refused, naming where.
 */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor']);

/**
 * The path (`a.b[2].constructor`) of the first own `__proto__` or `constructor`
 * key in a parsed JSON value, or undefined when there is none. Walks with its
 * own stack, so a deep value cannot overflow the call stack here.
 */
export function prototypeKeyPath(value: unknown, root: string): string | undefined {
  const stack: { value: unknown; path: string }[] = [{ value, path: root }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (Array.isArray(current)) {
      current.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
      continue;
    }
    for (const key of Object.keys(current)) {
      const keyPath = path ? `${path}.${key}` : key;
      if (PROTOTYPE_KEYS.has(key)) return keyPath;
      stack.push({ value: (current as Record<string, unknown>)[key], path: keyPath });
    }
  }
  return undefined;
}
