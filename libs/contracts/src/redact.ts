/**
 * Secrets never reach a stored log record: values under secret-looking keys,
 * and strings that look like credentials whatever their key, are replaced at
 * any depth. Used where records leave a process (the SDK's shipper, the
 * services' shipping stream) and again where they enter the platform
 * (POST /v1/logs), so a client that skips it is still covered.
 */
export const REDACTED = '[redacted]';

/** Key names (any case, `-`/`_` ignored) whose values are secrets. */
const SECRET_KEY =
  /^(authorization|cookie|setcookie|key|apikey|xapikey|accesskey|secretkey|privatekey|clientsecret|accesstoken|refreshtoken|idtoken|token|bearer|password|passwd|pwd|passphrase|secret|secrets|credential|credentials|signature|sessionid|session)$|(password|secret|token|apikey|privatekey|credential)$/;

/** Values that are credentials wherever they appear. */
const SECRET_VALUE = [
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, // an Authorization header's value
  /\bbaton_[A-Za-z0-9_-]{12,}/g, // Baton API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g, // JWTs
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, // AWS access key ids
  /\b(sk|pk|rk)_(live|test)_[A-Za-z0-9]{10,}/g, // Stripe-style keys
  /\bxox[abpors]-[A-Za-z0-9-]{10,}/g, // Slack tokens
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g, // GitHub tokens
  /(:\/\/[^:/?#\s]+:)[^@/?#\s]+@/g, // a password inside a URL
];

/** Deeper than this, a value is replaced whole: a record is not a place for deep trees. */
const MAX_DEPTH = 16;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[-_]/g, ''));
}

/** A string with every credential-looking part replaced. */
export function redactString(text: string): string {
  let out = text;
  for (const pattern of SECRET_VALUE) {
    pattern.lastIndex = 0;
    if (!pattern.test(out)) continue;
    pattern.lastIndex = 0;
    out = out.replace(pattern, (match, ...groups) =>
      match.startsWith('://') || (typeof groups[0] === 'string' && groups[0].startsWith('://'))
        ? `${groups[0]}${REDACTED}@`
        : REDACTED,
    );
  }
  return out;
}

/** A copy of `value` with secrets redacted at any depth (cycles and over-deep parts replaced). */
export function redactSecrets<T>(value: T): T {
  return walk(value, 0, new WeakSet()) as T;
}

function walk(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactString(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH || seen.has(value)) return '[truncated]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => walk(item, depth + 1, seen));
  if (value instanceof Date) return value.toISOString();
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = isSecretKey(key) ? REDACTED : walk(item, depth + 1, seen);
  }
  return out;
}
