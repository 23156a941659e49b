/**
 * Roughly how many characters a value takes as JSON, counted without
 * serialising it and abandoned as soon as it passes `limit` (so measuring a
 * huge value costs no more than measuring `limit` worth of it). JSONata
 * functions are counted as small: they are closures over the environment,
 * not data.
 */
export function measureValue(value: unknown, limit: number): number {
  let total = 0;
  const pending: unknown[] = [value];
  while (pending.length > 0 && total <= limit) {
    const item = pending.pop();
    if (typeof item === 'string') {
      total += item.length + 2;
    } else if (Array.isArray(item)) {
      total += item.length + 2;
      for (let i = 0; i < item.length && total <= limit; i++) pending.push(item[i]);
    } else if (item !== null && typeof item === 'object') {
      if (isJsonataFunction(item)) {
        total += 8;
        continue;
      }
      for (const key of Object.keys(item)) {
        total += key.length + 4;
        pending.push((item as Record<string, unknown>)[key]);
        if (total > limit) break;
      }
      total += 2;
    } else {
      total += 8;
    }
  }
  return total;
}

function isJsonataFunction(value: object): boolean {
  const record = value as Record<string, unknown>;
  return record._jsonata_lambda === true || record._jsonata_function === true;
}
