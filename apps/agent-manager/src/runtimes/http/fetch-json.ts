import { OutboundHttp, OutboundRefusedError, type OutboundResponse } from '@baton/service-kit';
import { TaskFailure } from '../agent-runtime';

export const RESPONSE_LIMIT_BYTES = 1024 * 1024;
/** Hops followed for a GET (an A2A agent card moved to https, say); a POST is never redirected. */
const MAX_REDIRECTS = 5;

/**
 * Agents usually live on the operator's private network, so private
 * addresses are allowed; link-local ones are not: an agent URL (or an A2A
 * card's endpoint, or a redirect) at 169.254.169.254 would hand the cloud's
 * instance credentials to whoever registered the agent.
 */
const agentHttp = new OutboundHttp({ allowPrivateNetworks: true });

export interface JsonAnswer {
  status: number;
  json: unknown;
}

/**
 * One HTTP call that must answer JSON: network errors, non-2xx answers and
 * bodies that are not JSON become TaskFailures with a clear reason; an answer
 * larger than 1 MB is refused rather than read into memory.
 */
export async function fetchJson(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown; signal: AbortSignal },
  what: string,
): Promise<JsonAnswer> {
  let response: OutboundResponse;
  try {
    response = await agentHttp.fetch(
      url,
      {
        method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
        headers: {
          accept: 'application/json',
          ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
          ...init.headers,
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: init.signal,
      },
      { followRedirects: MAX_REDIRECTS },
    );
  } catch (error) {
    throw sendFailure(what, error, init.signal);
  }
  const text = await readLimited(response);
  if (response.status < 200 || response.status >= 300) {
    throw new TaskFailure(
      'system_error',
      `${what} answered HTTP ${response.status}${text ? `: ${text.replace(/\s+/g, ' ').slice(0, 300)}` : ''}`,
    );
  }
  try {
    return { status: response.status, json: JSON.parse(text) as unknown };
  } catch {
    throw new TaskFailure(
      'system_error',
      `${what} answered something that is not JSON: ${JSON.stringify(text.slice(0, 120))}`,
    );
  }
}

/**
 * A `fetch` for protocol clients (the A2A SDK's): the same guarded pool and
 * size limit as fetchJson, the agent's headers and the task's signal on every
 * request. A refused address or a network error is a TaskFailure naming `what`.
 */
export function guardedFetch(
  what: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): typeof fetch {
  return async (input, init) => {
    const url = typeof input === 'string' || input instanceof URL ? input : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    let response: OutboundResponse;
    try {
      response = await agentHttp.fetch(
        url,
        {
          method,
          headers: { ...Object.fromEntries(new Headers(init?.headers).entries()), ...headers },
          // The SDK sends JSON-RPC as a string; nothing else is passed on.
          body: typeof init?.body === 'string' ? init.body : undefined,
          signal,
        },
        { followRedirects: method === 'GET' ? MAX_REDIRECTS : 0 },
      );
    } catch (error) {
      throw sendFailure(what, error, signal);
    }
    const text = await readLimited(response);
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: { 'content-type': response.headers.get('content-type') ?? 'application/json' },
    });
  };
}

async function readLimited(response: {
  headers: { get(name: string): string | null };
  body: ReadableStream<Uint8Array> | null;
}): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > RESPONSE_LIMIT_BYTES) {
    await response.body?.cancel();
    throw new TaskFailure(
      'system_error',
      `the answer is larger than ${RESPONSE_LIMIT_BYTES} bytes`,
    );
  }
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > RESPONSE_LIMIT_BYTES) {
      await reader.cancel();
      throw new TaskFailure(
        'system_error',
        `the answer is larger than ${RESPONSE_LIMIT_BYTES} bytes`,
      );
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * What a failed outbound request is to the task: the abort's reason when the
 * task was stopped, else a system_error naming `what` (a refused address, or
 * the network's own cause).
 */
function sendFailure(what: string, error: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return signal.reason as Error;
  if (error instanceof OutboundRefusedError) {
    return new TaskFailure('system_error', `${what} ${error.message}`);
  }
  const cause = (error as { cause?: { message?: string } }).cause?.message;
  return new TaskFailure(
    'system_error',
    `${what} is unreachable: ${cause ?? (error as Error).message}`,
  );
}
