import { OperationError } from '../connector';
import { retryAfterMs } from '../resilience';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

/** Headers a step may not set: the transport's, and the ones auth owns. */
const RESERVED_HEADERS = new Set([
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'authorization',
  'proxy-authorization',
  'cookie',
]);

const invalid = (field: string, message: string) =>
  new OperationError('validation_error', `${field} ${message}`, null, undefined, field);

/**
 * The URL of a request: `path` (a template such as `/cases/{id}`) below
 * `base_url`, each `{name}` replaced by `path_params.name` percent-encoded,
 * so a value cannot add segments, a query or another host. A path that
 * would leave the base path (`..`) is refused.
 */
export function buildUrl(
  baseUrl: string,
  path: string,
  pathParams: Record<string, unknown> = {},
  query: Record<string, unknown> = {},
): URL {
  const base = new URL(baseUrl);
  if (!path.startsWith('/') || path.startsWith('//')) {
    throw invalid('input.path', "must start with a single '/' (it is relative to base_url)");
  }
  const filled = path.replace(/\{([A-Za-z0-9_.-]+)\}/g, (_, name: string) => {
    const value = pathParams[name];
    if (value === undefined || value === null || typeof value === 'object') {
      throw invalid(`input.path_params.${name}`, 'is required by the path template');
    }
    return encodeURIComponent(String(value));
  });
  if (/[{}]/.test(filled)) throw invalid('input.path', 'has an unclosed or invalid {param}');
  const basePath = base.pathname.replace(/\/+$/, '');
  const url = new URL(base.origin + basePath + filled);
  if (url.origin !== base.origin || !(url.pathname + '/').startsWith(basePath + '/')) {
    throw invalid('input.path', 'must stay below base_url');
  }
  for (const [key, value] of Object.entries(query)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (v === undefined || v === null) continue;
      if (typeof v === 'object') throw invalid(`input.query.${key}`, 'must be a scalar or a list');
      url.searchParams.append(key, String(v));
    }
  }
  return url;
}

/** A step's own headers, refusing those the transport or the auth scheme owns. */
export function stepHeaders(
  headers: Record<string, unknown> = {},
  authHeader?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (RESERVED_HEADERS.has(lower) || lower === authHeader?.toLowerCase()) {
      throw invalid(`input.headers.${name}`, 'is set by the connection and cannot be given');
    }
    if (typeof value !== 'string' || /[\r\n]/.test(value)) {
      throw invalid(`input.headers.${name}`, 'must be a single-line string');
    }
    out[lower] = value;
  }
  return out;
}

/** JSON for objects, arrays, numbers and booleans; a string as it is. */
export function encodeBody(body: unknown, headers: Record<string, string>): string | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') {
    headers['content-type'] ??= 'text/plain; charset=utf-8';
    return body;
  }
  headers['content-type'] ??= 'application/json';
  return JSON.stringify(body);
}

/**
 * The typed failure of an HTTP answer that is not 2xx: 429 and 503 are the
 * target's (system_error, with its Retry-After), 408 a timeout, other 4xx
 * the caller's (validation_error), the rest system_error.
 */
export function httpFailure(
  status: number,
  retryAfter: string | null,
  what: string,
): OperationError {
  if (status === 429 || status === 503) {
    return new OperationError(
      'system_error',
      `${what} answered HTTP ${status}${status === 429 ? ' (rate limited)' : ''}`,
      status,
      retryAfterMs(retryAfter),
    );
  }
  if (status === 408) return new OperationError('timeout', `${what} answered HTTP 408`, status);
  if (status >= 400 && status < 500) {
    return new OperationError('validation_error', `${what} answered HTTP ${status}`, status);
  }
  const hint = status >= 300 && status < 400 ? ' (redirects are not followed)' : '';
  return new OperationError('system_error', `${what} answered HTTP ${status}${hint}`, status);
}

/** Response headers worth returning: everything but cookies. */
export function responseHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    if (name !== 'set-cookie') out[name] = value;
  });
  return out;
}
