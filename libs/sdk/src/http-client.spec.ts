import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  BatonAuthenticationError,
  BatonConnectionError,
  BatonRateLimitError,
  BatonTimeoutError,
  BatonValidationError,
} from './errors';
import { HttpClient } from './http-client';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/** A real HTTP server on a free loopback port, answering with `handler`. */
async function serve(handler: Handler): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const problem = (response: ServerResponse, status: number, body: object, headers = {}) => {
  response.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  response.end(JSON.stringify({ status, ...body }));
};

describe('HttpClient', () => {
  const servers: Server[] = [];
  afterEach(() => servers.splice(0).forEach((s) => s.close()));
  const client = async (handler: Handler, options: object = {}) => {
    const { url, server } = await serve(handler);
    servers.push(server);
    return new HttpClient({ apiKey: 'k', endpoint: url, retry: { baseDelayMs: 1 }, ...options });
  };

  it('turns problem+json into a typed error carrying code, status and the fields', async () => {
    const http = await client((_, response) =>
      problem(response, 422, {
        title: 'Validation failed',
        detail: 'name: must be a string',
        code: 'REQUEST.INVALID',
        errors: [{ field: 'name', message: 'must be a string' }],
      }),
    );
    const error = await http.request('POST', '/v1/agents', { body: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatonValidationError);
    expect(error).toMatchObject({
      status: 422,
      code: 'REQUEST.INVALID',
      errors: [{ field: 'name', message: 'must be a string' }],
      message: '422 Validation failed: name: must be a string',
    });
  });

  it('retries 429 and 503, waiting as Retry-After says, then answers', async () => {
    const seen: number[] = [];
    let calls = 0;
    const http = await client((_, response) => {
      seen.push(Date.now());
      calls++;
      if (calls === 1)
        return problem(response, 429, { code: 'REQUEST.RATE_LIMITED' }, { 'retry-after': '1' });
      if (calls === 2) return problem(response, 503, { code: 'UPSTREAM.UNAVAILABLE' });
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{"ok":true}');
    });
    await expect(http.request('GET', '/v1/runs')).resolves.toEqual({ ok: true });
    expect(calls).toBe(3);
    expect(seen[1]! - seen[0]!).toBeGreaterThanOrEqual(950); // Retry-After: 1 was honoured
  });

  it('gives up after maxRetries with the last answer as a typed error', async () => {
    let calls = 0;
    const http = await client(
      (_, response) => {
        calls++;
        problem(
          response,
          429,
          { code: 'REQUEST.RATE_LIMITED', detail: 'slow down' },
          { 'retry-after': '0' },
        );
      },
      { retry: { maxRetries: 2, baseDelayMs: 1 } },
    );
    const error = await http.request('GET', '/v1/runs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatonRateLimitError);
    expect(error).toMatchObject({ status: 429, retryAfterSeconds: 0 });
    expect(calls).toBe(3);
  });

  it('does not retry other errors', async () => {
    let calls = 0;
    const http = await client((_, response) => {
      calls++;
      problem(response, 401, { code: 'AUTH.UNAUTHENTICATED', detail: 'invalid API key' });
    });
    await expect(http.request('GET', '/v1/runs')).rejects.toBeInstanceOf(BatonAuthenticationError);
    expect(calls).toBe(1);
  });

  it('times out an attempt that gets no answer', async () => {
    const http = await client(() => undefined /* never answers */, { timeoutMs: 50 });
    const error = await http.request('GET', '/v1/runs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatonTimeoutError);
    expect((error as Error).message).toBe('GET /v1/runs got no answer within 50 ms');
  });

  it('says when nothing listens at the endpoint', async () => {
    const { url, server } = await serve(() => undefined);
    await new Promise((resolve) => server.close(resolve));
    const http = new HttpClient({ apiKey: 'k', endpoint: url });
    const error = await http.request('GET', '/v1/runs').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BatonConnectionError);
    expect((error as Error).message).toBe(
      `cannot reach ${url}: connection refused (is Baton running there?)`,
    );
  });
});
