/**
 * Where the browser may be sent after sign-in: a path on the gateway only
 * (`/console/`, `/v1/agents?x=1`), never another site. Anything else is `/`.
 */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 1_024) return '/';
  // One leading slash, then no slash or backslash (`//evil`, `/\evil` are other hosts to browsers).
  if (!/^\/(?![/\\])/.test(value)) return '/';
  // No control characters or spaces: they are stripped or mangled by browsers and proxies.
  if (/[\u0000-\u0020\u007f\\]/.test(value)) return '/';
  return value;
}
