const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** `workflow.steps` + `timeout` → `workflow.steps.timeout`; odd keys use `["..."]`. */
export function childPath(base: string, key: string): string {
  if (!PLAIN_KEY.test(key)) return `${base}[${JSON.stringify(key)}]`;
  return base === '' ? key : `${base}.${key}`;
}

export function indexPath(base: string, index: number): string {
  return `${base}[${index}]`;
}

export function parentPath(path: string): string | undefined {
  if (path === '') return undefined;
  let cut: number;
  if (path.endsWith('"]')) {
    // Quotes inside a JSON-quoted key are escaped, so the last `["` opens it.
    cut = path.lastIndexOf('["');
  } else if (path.endsWith(']')) {
    cut = path.lastIndexOf('[');
  } else {
    cut = path.lastIndexOf('.');
  }
  return cut <= 0 ? '' : path.slice(0, cut);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}
