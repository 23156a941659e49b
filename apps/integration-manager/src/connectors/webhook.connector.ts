import { DomainError } from '@baton/contracts';
import { OutboundHttp, OutboundRefusedError, type OutboundResponse } from '@baton/service-kit';
import { createHmac } from 'node:crypto';
import {
  OperationError,
  type Connector,
  type ConnectorOutcome,
  type Operation,
  type OperationContext,
  type SendMessageRequest,
} from './connector';

export const WEBHOOK_TIMEOUT_MS = 10_000;
export const RESPONSE_LIMIT_BYTES = 10 * 1024;

/** `sha256=<hex>` of HMAC-SHA256 over the exact bytes sent, as GitHub and Stripe style receivers expect. */
export function signBody(secret: string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function webhookBody(request: SendMessageRequest): Buffer {
  const { task } = request;
  return Buffer.from(
    JSON.stringify({
      message: request.message ?? null,
      run_id: task.run_id ?? null,
      step: task.step ?? null,
      task_id: task.task_id,
      attempt: task.attempt,
    }),
    'utf8',
  );
}

export function webhookHeaders(request: SendMessageRequest, body: Buffer): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'x-baton-task-id': request.task.task_id,
  };
  const secret = request.connection.secrets.signing_secret;
  if (secret) headers['x-baton-signature'] = signBody(secret, body);
  return headers;
}

/**
 * Credentials in the URL would be stored unencrypted and shown in every
 * listing, so they are refused: secrets belong in `secrets`.
 */
export function parseWebhookUrl(config: Record<string, unknown>): URL {
  const value = config.url;
  if (typeof value !== 'string' || value === '')
    throw DomainError.invalid('config.url', 'must be an http(s) URL');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw DomainError.invalid('config.url', 'must be an http(s) URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw DomainError.invalid('config.url', 'must be an http(s) URL');
  }
  if (url.username || url.password) {
    throw DomainError.invalid('config.url', 'must not contain credentials; put them in secrets');
  }
  return url;
}

/** Reads at most `limit` bytes of a body, so a huge answer cannot exhaust memory. */
export async function readLimited(
  response: { body: ReadableStream<Uint8Array> | null },
  limit: number,
): Promise<{ text: string; truncated: boolean }> {
  if (!response.body) return { text: '', truncated: false };
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    const room = limit - size;
    if (value.byteLength > room) {
      chunks.push(value.subarray(0, room));
      await reader.cancel();
      return { text: Buffer.concat(chunks).toString('utf8'), truncated: true };
    }
    chunks.push(value);
    size += value.byteLength;
  }
  return { text: Buffer.concat(chunks).toString('utf8'), truncated: false };
}

/** The receiver's answer as the step's output: JSON when it is (complete) JSON, else the text. */
export function parseResponseBody(
  text: string,
  truncated: boolean,
  contentType: string | null,
): unknown {
  if (text === '') return null;
  const looksJson = /json/i.test(contentType ?? '') || /^\s*[[{]/.test(text);
  if (looksJson && !truncated) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      // not JSON after all: keep the text
    }
  }
  return text;
}

/** A reason for a failed request that names the cause but never the URL. */
export function describeRequestError(error: unknown, timeoutMs: number): string {
  const err = error as {
    name?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  if (err.name === 'TimeoutError' || err.name === 'AbortError') {
    return `webhook did not answer within ${timeoutMs / 1000} s`;
  }
  const cause = err.cause?.code ?? err.cause?.message ?? err.message ?? String(error);
  return `webhook request failed: ${cause}`;
}

export interface WebhookConnectorOptions {
  /** The HTTP client; it refuses internal addresses unless private networks are allowed. */
  http: OutboundHttp;
  timeoutMs?: number;
}

/**
 * POSTs the message as JSON to `config.url`, signed when the connection has
 * `secrets.signing_secret`. Redirects are not followed: a redirected POST
 * could carry the message somewhere nobody configured.
 */
export class WebhookConnector implements Connector {
  readonly kind = 'webhook';
  readonly description = 'POSTs a message as signed JSON to a URL (the send-message action)';
  readonly configSchema = {
    type: 'object',
    required: ['url'],
    properties: { url: { type: 'string', description: 'http(s) URL of the receiver' } },
  };
  readonly secretFields = [
    { name: 'signing_secret', description: 'signs the body: x-baton-signature: sha256=<hmac>' },
  ];
  readonly operations: ReadonlyMap<string, Operation>;
  private readonly timeoutMs: number;
  private readonly http: OutboundHttp;

  constructor(options: WebhookConnectorOptions) {
    this.timeoutMs = options.timeoutMs ?? WEBHOOK_TIMEOUT_MS;
    this.http = options.http;
    const send: Operation = {
      name: 'send-message',
      description:
        'POSTs { message, run_id, step, task_id, attempt }; receivers deduplicate on x-baton-task-id',
      inputSchema: {},
      // A POST: never retried inside the call (the workflow's retry policy decides).
      idempotent: () => false,
      execute: async (context, input) => {
        const outcome = await this.sendMessage({
          connection: context.connection,
          message: input,
          task: context.task ?? { task_id: '00000000-0000-4000-8000-000000000000', attempt: 1 },
        });
        if (outcome.status === 'failed') {
          throw new OperationError(outcome.errorType, outcome.message, outcome.httpStatus);
        }
        return { output: outcome.output, httpStatus: outcome.httpStatus };
      },
    };
    this.operations = new Map([[send.name, send]]);
  }

  /** Reachability: a HEAD to the URL; any HTTP answer means the receiver is there. */
  async probe(context: OperationContext): Promise<Record<string, unknown>> {
    try {
      const response = await this.http.fetch(parseWebhookUrl(context.connection.config), {
        method: 'HEAD',
        signal: context.signal,
      });
      await response.body?.cancel().catch(() => undefined);
      return { reachable: true, status: response.status };
    } catch (error) {
      throw new OperationError(
        'system_error',
        error instanceof OutboundRefusedError
          ? `webhook ${error.message}`
          : describeRequestError(error, context.timeoutMs),
      );
    }
  }

  /** A URL on an internal address is a 422 now (sendMessage refuses it again, at send time). */
  async validateConfig(config: Record<string, unknown>): Promise<void> {
    const refused = await this.http.refusal(parseWebhookUrl(config));
    if (refused) throw DomainError.invalid('config.url', `must not be internal: ${refused}`);
  }

  async sendMessage(request: SendMessageRequest): Promise<ConnectorOutcome> {
    const url = parseWebhookUrl(request.connection.config);
    const body = webhookBody(request);
    let response: OutboundResponse;
    try {
      response = await this.http.fetch(url, {
        method: 'POST',
        headers: webhookHeaders(request, body),
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      return {
        status: 'failed',
        httpStatus: null,
        errorType: 'system_error',
        message:
          error instanceof OutboundRefusedError
            ? `webhook ${error.message}`
            : describeRequestError(error, this.timeoutMs),
      };
    }
    const answer = await readLimited(response, RESPONSE_LIMIT_BYTES).catch(() => ({
      text: '',
      truncated: false,
    }));
    return toWebhookOutcome(
      response.status,
      parseResponseBody(answer.text, answer.truncated, response.headers.get('content-type')),
    );
  }
}

export function toWebhookOutcome(httpStatus: number, responseBody: unknown): ConnectorOutcome {
  if (httpStatus >= 200 && httpStatus < 300) {
    return {
      status: 'completed',
      httpStatus,
      output: { delivered: true, status: httpStatus, response: responseBody },
    };
  }
  const hint = httpStatus >= 300 && httpStatus < 400 ? ' (redirects are not followed)' : '';
  return {
    status: 'failed',
    httpStatus,
    errorType: 'system_error',
    message: `webhook answered HTTP ${httpStatus}${hint}`,
  };
}
