/**
 * Where the browser may be sent after sign-in: a path on the gateway only
 * (`/console/`, `/v1/agents?x=1`), never another site. Anything else is `/`.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1_024) return '/';
  // One leading slash, then no slash or backslash (`//evil`, `/\evil` are other hosts to browsers).
  if (!/^\/(?![/\\])/.test(value)) return '/';
  // No control characters or spaces: they are stripped or mangled by browsers and proxies.
  for (const char of value) {
    const code = char.charCodeAt(0);
    if (code <= 0x20 || code === 0x7f || char === '\\') return '/';
  }
  return value;
}
