import { isObject } from '@baton/contracts';
import {
  OperationError,
  type ConnectionTarget,
  type Operation,
  type OperationContext,
  type OperationResult,
} from '../connector';
import type { HttpConnector } from '../http/http.connector';
import type { OperationSpec } from './openapi-operations';

/** What an operation of a document needs of its connection: where, and how to authenticate. */
export interface HttpTarget {
  /** The http connector's config: base_url, headers, auth, max_response_bytes. */
  config: Record<string, unknown>;
  /** The http connector's secrets: password, token, api_key, client_secret, refresh_token. */
  secrets: Record<string, string>;
}

/** Turns a connection (openapi or a pack) into the http connector's view of it. */
export type HttpTargetOf = (connection: ConnectionTarget) => HttpTarget;

/**
 * One operation of a document as a connector operation. The request is the
 * http connector's `request` (same URL building, SSRF guard, auth schemes,
 * OAuth token cache, typed failures): this only maps `{ path_params, query,
 * headers, body }` to it.
 */
export function documentOperation(
  spec: OperationSpec,
  http: HttpConnector,
  targetOf: HttpTargetOf,
  options: DocumentOperationOptions = {},
): Operation {
  const request = http.operations.get('request')!;
  const toHttp = (input: Record<string, unknown>) => httpInput(spec, input);
  const inner = (connection: ConnectionTarget): ConnectionTarget => ({
    ...targetOf(connection),
    key: connection.key,
    name: connection.name,
  });
  return {
    name: spec.operationId,
    description: spec.description,
    inputSchema: spec.inputSchema,
    idempotent: () => spec.idempotent,
    http: { method: spec.method, path: spec.path },
    check: (input, connection) => request.check?.(toHttp(input), inner(connection)),
    execute: async (context: OperationContext, input): Promise<OperationResult> => {
      const scoped = { ...context, connection: inner(context.connection) };
      if (!options.csrf || spec.method === 'GET' || spec.method === 'HEAD')
        return request.execute(scoped, toHttp(input));
      return http.requestWith(scoped, toHttp(input), {
        headers: await csrfHeaders(http, scoped, options.csrf.path),
      });
    },
  };
}

export interface DocumentOperationOptions {
  /**
   * SAP-style CSRF protection: before a modifying call, GET `path` with
   * `x-csrf-token: Fetch`, then send the token with the session cookies it
   * is bound to.
   */
  csrf?: { path: string };
}

async function csrfHeaders(
  http: HttpConnector,
  context: OperationContext,
  path: string,
): Promise<Record<string, string>> {
  const fetched = await http.requestWith(
    context,
    { method: 'GET', path },
    { headers: { 'x-csrf-token': 'Fetch' }, cookies: true },
  );
  const output = fetched.output as { headers: Record<string, string>; cookies?: string[] };
  const token = output.headers['x-csrf-token'];
  if (!token || token.toLowerCase() === 'required') {
    throw new OperationError(
      'system_error',
      `connection '${context.connection.name}': the service gave no CSRF token`,
    );
  }
  const cookie = (output.cookies ?? [])
    .map((c) => c.split(';')[0].trim())
    .filter((c) => /^[^=\s]+=/.test(c))
    .join('; ');
  return { 'x-csrf-token': token, ...(cookie ? { cookie } : {}) };
}

/** `{ path_params, query, headers, body }` of an operation to the http connector's request input. */
export function httpInput(
  spec: OperationSpec,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(
    (input.headers as Record<string, unknown> | undefined) ?? {},
  )) {
    if (value !== undefined && value !== null)
      headers[name] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  let body: unknown = input.body;
  if (body !== undefined && spec.bodyType) {
    headers['content-type'] = spec.bodyType;
    if (spec.bodyType.startsWith('application/x-www-form-urlencoded') && isObject(body)) {
      body = new URLSearchParams(
        Object.entries(body)
          .filter(([, v]) => v !== undefined && v !== null)
          .map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]),
      ).toString();
    } else if (!/json/i.test(spec.bodyType) && typeof body !== 'string') {
      body = JSON.stringify(body);
    }
  }
  const pathParams: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(
    (input.path_params as Record<string, unknown> | undefined) ?? {},
  )) {
    pathParams[name] = typeof value === 'object' ? JSON.stringify(value) : value;
  }
  return {
    method: spec.method,
    path: spec.path,
    ...(Object.keys(pathParams).length > 0 ? { path_params: pathParams } : {}),
    ...(input.query !== undefined ? { query: input.query } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}
