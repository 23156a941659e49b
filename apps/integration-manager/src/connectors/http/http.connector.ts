import { DomainError } from '@baton/contracts';
import { OutboundRefusedError, type OutboundHttp } from '@baton/service-kit';
import {
  OperationError,
  type Connector,
  type OperationContext,
  type Operation,
  type OperationResult,
  type ConnectionTarget,
} from '../connector';
import { parseResponseBody, readLimited } from '../webhook.connector';
import {
  AUTH_SECRETS,
  AUTH_TYPES,
  staticAuthHeader,
  TokenCache,
  type AuthConfig,
} from './http-auth';
import {
  buildUrl,
  encodeBody,
  HTTP_METHODS,
  httpFailure,
  IDEMPOTENT_METHODS,
  responseHeaders,
  stepHeaders,
} from './http-request';

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;

const CONFIG_SCHEMA = {
  type: 'object',
  required: ['base_url'],
  additionalProperties: false,
  properties: {
    base_url: {
      type: 'string',
      format: 'uri',
      pattern: '^https?://',
      description: 'every path is below it',
    },
    headers: {
      type: 'object',
      additionalProperties: { type: 'string' },
      description: 'sent with every request (no secrets: they are shown)',
    },
    auth: {
      type: 'object',
      required: ['type'],
      additionalProperties: false,
      properties: {
        type: { enum: [...AUTH_TYPES] },
        username: { type: 'string', description: 'basic' },
        header: {
          type: 'string',
          pattern: '^[A-Za-z0-9-]{1,100}$',
          description: 'api_key header (default x-api-key)',
        },
        token_url: {
          type: 'string',
          format: 'uri',
          pattern: '^https?://',
          description: 'oauth2_*',
        },
        client_id: { type: 'string' },
        scope: { type: 'string' },
        audience: { type: 'string' },
        client_auth: { enum: ['basic', 'body'] },
      },
    },
    probe_path: {
      type: 'string',
      pattern: '^/',
      description: 'GET by POST /test (default: base_url)',
    },
    max_response_bytes: { type: 'integer', minimum: 1, maximum: 16 * 1024 * 1024 },
  },
};

const REQUEST_SCHEMA = {
  type: 'object',
  required: ['path'],
  additionalProperties: false,
  properties: {
    method: { enum: [...HTTP_METHODS], default: 'GET' },
    path: { type: 'string', minLength: 1, maxLength: 2048, description: 'template: /cases/{id}' },
    path_params: {
      type: 'object',
      additionalProperties: { type: ['string', 'number', 'boolean'] },
    },
    query: { type: 'object' },
    headers: { type: 'object', additionalProperties: { type: 'string' } },
    body: {},
  },
};

/** What a connector built on http may add to a request (see HttpConnector.requestWith). */
export interface TrustedRequest {
  headers?: Record<string, string>;
  cookies?: boolean;
}

export interface HttpConnectorOptions {
  http: OutboundHttp;
}

/**
 * Any HTTP API: `request` with a method, a path template below base_url,
 * query, headers and body; auth none, basic, bearer, API-key header or
 * OAuth 2.0 (client credentials, refresh token) with cached tokens. The
 * answer is `{ status, headers, body }`; 4xx are validation_error, 429/5xx
 * system_error (Retry-After honoured), an expired token is refreshed once.
 */
export class HttpConnector implements Connector {
  readonly kind = 'http';
  readonly description = 'Any HTTP/REST API';
  readonly configSchema = CONFIG_SCHEMA;
  readonly secretFields = [
    { name: 'password', description: 'auth basic' },
    { name: 'token', description: 'auth bearer' },
    { name: 'api_key', description: 'auth api_key' },
    {
      name: 'client_secret',
      description: 'auth oauth2_client_credentials (and refresh_token if the server wants it)',
    },
    { name: 'refresh_token', description: 'auth oauth2_refresh_token' },
  ];
  readonly operations: ReadonlyMap<string, Operation>;
  private readonly http: OutboundHttp;
  private readonly tokens: TokenCache;

  constructor(options: HttpConnectorOptions) {
    this.http = options.http;
    this.tokens = new TokenCache(this.http);
    const request: Operation = {
      name: 'request',
      description: 'One HTTP request; output { status, headers, body }',
      inputSchema: REQUEST_SCHEMA,
      idempotent: (input) => IDEMPOTENT_METHODS.has(String(input.method ?? 'GET')),
      idempotentWhen: `method is one of ${[...IDEMPOTENT_METHODS].join(', ')}`,
      check: (input, connection) => {
        buildUrl(
          String(connection.config.base_url),
          String(input.path),
          input.path_params as Record<string, unknown>,
          input.query as Record<string, unknown>,
        );
        stepHeaders(input.headers as Record<string, unknown>, authConfig(connection).header);
      },
      execute: (context, input) => this.request(context, input),
    };
    this.operations = new Map([[request.name, request]]);
  }

  async validateConfig(
    config: Record<string, unknown>,
    secrets: Record<string, string>,
  ): Promise<void> {
    const auth = (config.auth as AuthConfig | undefined) ?? { type: 'none' };
    for (const secret of AUTH_SECRETS[auth.type]) {
      if (!secrets[secret])
        throw DomainError.invalid(`secrets.${secret}`, `is required by auth ${auth.type}`);
    }
    if (auth.type.startsWith('oauth2') && !auth.token_url) {
      throw DomainError.invalid('config.auth.token_url', `is required by auth ${auth.type}`);
    }
    if (auth.type === 'oauth2_client_credentials' && !auth.client_id) {
      throw DomainError.invalid('config.auth.client_id', `is required by auth ${auth.type}`);
    }
    const base = new URL(String(config.base_url));
    if (base.username || base.password) {
      throw DomainError.invalid(
        'config.base_url',
        'must not contain credentials; put them in secrets',
      );
    }
    for (const [field, url] of [
      ['config.base_url', config.base_url],
      ['config.auth.token_url', auth.token_url],
    ] as const) {
      if (typeof url !== 'string') continue;
      const refused = await this.http.refusal(url);
      if (refused) throw DomainError.invalid(field, `must not be internal: ${refused}`);
    }
  }

  async probe(context: OperationContext): Promise<Record<string, unknown>> {
    const path =
      typeof context.connection.config.probe_path === 'string'
        ? context.connection.config.probe_path
        : '/';
    const result = await this.request(context, { method: 'GET', path }, false);
    return { reachable: true, status: (result.output as { status: number }).status };
  }

  release(key: string): Promise<void> {
    this.tokens.forget(key);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    await this.http.close();
  }

  /**
   * `request` with headers a step may not give (a CSRF token and the session
   * cookie it is bound to) and, with `cookies`, the answer's Set-Cookie
   * values (`output.cookies`): for connectors built on this one (packs),
   * never for a step's own input.
   */
  requestWith(
    context: OperationContext,
    input: Record<string, unknown>,
    trusted: TrustedRequest,
  ): Promise<OperationResult> {
    return this.request(context, input, true, trusted);
  }

  private async request(
    context: OperationContext,
    input: Record<string, unknown>,
    failOnStatus = true,
    trusted: TrustedRequest = {},
  ): Promise<OperationResult> {
    const { connection, signal } = context;
    const auth = authConfig(connection);
    const method = String(input.method ?? 'GET');
    const url = buildUrl(
      String(connection.config.base_url),
      String(input.path),
      input.path_params as Record<string, unknown>,
      input.query as Record<string, unknown>,
    );
    const staticHeaders = (connection.config.headers as Record<string, string> | undefined) ?? {};
    const headers: Record<string, string> = {
      accept: 'application/json, */*;q=0.5',
      ...lowerKeys(staticHeaders),
      ...stepHeaders(input.headers as Record<string, unknown>, auth.header),
      ...trusted.headers,
    };
    const body = encodeBody(input.body, headers);
    const oauth = auth.type.startsWith('oauth2');
    for (let refreshed = false; ; refreshed = true) {
      const authHeader = oauth
        ? ([
            'authorization',
            `Bearer ${await this.tokens.accessToken(connection, signal)}`,
          ] as const)
        : staticAuthHeader(auth, connection.secrets);
      const response = await this.send(connection, url, {
        method,
        headers: authHeader ? { ...headers, [authHeader[0]]: authHeader[1] } : headers,
        body,
        signal,
      });
      if (response.status === 401 && oauth && !refreshed) {
        // The cached token expired early or was revoked: one fresh token, one more try.
        await response.body?.cancel().catch(() => undefined);
        this.tokens.invalidate(connection.key);
        continue;
      }
      const limit = Number(connection.config.max_response_bytes ?? DEFAULT_MAX_RESPONSE_BYTES);
      const answer = await readLimited(response, limit).catch(() => ({
        text: '',
        truncated: false,
      }));
      const ok = response.status >= 200 && response.status < 300;
      if (!ok && failOnStatus) {
        throw httpFailure(
          response.status,
          response.headers.get('retry-after'),
          `http connection '${connection.name}'`,
        );
      }
      if (!ok && (response.status === 401 || response.status === 403)) {
        throw new OperationError(
          'validation_error',
          `http connection '${connection.name}': credentials refused (HTTP ${response.status})`,
          response.status,
        );
      }
      if (!ok && response.status >= 500)
        throw httpFailure(response.status, null, `http connection '${connection.name}'`);
      return {
        httpStatus: response.status,
        output: {
          status: response.status,
          headers: responseHeaders(response.headers as unknown as Headers),
          body: parseResponseBody(
            answer.text,
            answer.truncated,
            response.headers.get('content-type'),
          ),
          ...(answer.truncated ? { truncated: true } : {}),
          ...(trusted.cookies ? { cookies: response.headers.getSetCookie() } : {}),
        },
      };
    }
  }

  private async send(
    connection: ConnectionTarget,
    url: URL,
    init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
  ) {
    try {
      return await this.http.fetch(url, init, { followRedirects: 3 });
    } catch (error) {
      if (error instanceof OutboundRefusedError) {
        throw new OperationError(
          'system_error',
          `http connection '${connection.name}' ${error.message}`,
        );
      }
      if (init.signal.aborted) {
        throw new OperationError(
          'timeout',
          `http connection '${connection.name}' did not answer in time`,
        );
      }
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new OperationError(
        'system_error',
        `http connection '${connection.name}' request failed: ${cause?.code ?? cause?.message ?? (error as Error).message}`,
      );
    }
  }
}

function authConfig(connection: ConnectionTarget): AuthConfig {
  return (connection.config.auth as AuthConfig | undefined) ?? { type: 'none' };
}

function lowerKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
