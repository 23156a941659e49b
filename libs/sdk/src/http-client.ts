import { apiErrorFor, BatonConnectionError, BatonTimeoutError, type Problem } from './errors';
import {
  parseRetryAfter,
  RETRYABLE_STATUSES,
  retryDefaults,
  retryDelayMs,
  type RetryOptions,
} from './retry-policy';

export interface HttpOptions {
  apiKey: string;
  endpoint: string;
  workspaceId?: string;
  /** Each attempt's timeout (default 30 s). */
  timeoutMs?: number;
  /** Retries of 429 and 503 answers; see RetryOptions. */
  retry?: RetryOptions;
  /** Sent as User-Agent, e.g. "baton-cli/0.1.0". */
  userAgent?: string;
}

export interface RequestInit {
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /** Overrides the client's timeout for one call (a synchronous invoke waits on purpose). */
  timeoutMs?: number;
  /** Aborts the call (and any wait between retries). */
  signal?: AbortSignal;
}

/**
 * A thin fetch wrapper: bearer auth, JSON in and out, 429 and 503 retried with
 * backoff (honouring Retry-After), and every failure a typed BatonError: the
 * API's problem+json as BatonApiError and its subclasses, no answer as
 * BatonConnectionError, no answer in time as BatonTimeoutError.
 */
export class HttpClient {
  private readonly base: string;
  private readonly retry: Required<RetryOptions>;

  constructor(private readonly options: HttpOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
    this.retry = retryDefaults(options.retry);
  }

  get endpoint(): string {
    return this.base;
  }

  async request<T>(method: string, path: string, init: RequestInit = {}): Promise<T> {
    const response = await this.send(method, path, init);
    const text = await response.text();
    return (text ? safeJson(text) : undefined) as T;
  }

  /**
   * The response of a successful call, body unread: for streams
   * (text/event-stream). Errors are thrown as by request().
   */
  async open(method: string, path: string, init: RequestInit = {}): Promise<Response> {
    return this.send(method, path, { ...init, timeoutMs: init.timeoutMs ?? 0 });
  }

  private async send(method: string, path: string, init: RequestInit): Promise<Response> {
    for (let retry = 1; ; retry++) {
      const response = await this.attempt(method, path, init);
      if (response.ok) return response;
      const text = await response.text();
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
      const delay = RETRYABLE_STATUSES.has(response.status)
        ? retryDelayMs(retry, retryAfter, this.retry)
        : undefined;
      if (delay === undefined) throw apiErrorFor(response.status, toProblem(text), retryAfter);
      await sleep(delay, init.signal);
    }
  }

  private async attempt(method: string, path: string, init: RequestInit): Promise<Response> {
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: 'application/json',
      ...(this.options.userAgent ? { 'user-agent': this.options.userAgent } : {}),
      ...(this.options.workspaceId ? { 'x-workspace-id': this.options.workspaceId } : {}),
      ...init.headers,
    };
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['content-type'] = init.contentType ?? 'application/json';
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    }
    const timeoutMs = init.timeoutMs ?? this.options.timeoutMs ?? 30_000;
    const signals = [init.signal, timeoutMs > 0 ? AbortSignal.timeout(timeoutMs) : undefined];
    const present = signals.filter((s): s is AbortSignal => s !== undefined);
    try {
      return await fetch(url, {
        method,
        headers,
        body,
        signal: present.length ? AbortSignal.any(present) : undefined,
      });
    } catch (error) {
      if (init.signal?.aborted) throw error;
      if ((error as Error).name === 'TimeoutError') {
        throw new BatonTimeoutError(method, path, timeoutMs);
      }
      throw new BatonConnectionError(this.base, describeFetchFailure(error));
    }
  }
}

/** fetch's "fetch failed" hides the reason in `cause` (ECONNREFUSED, ENOTFOUND, a TLS error). */
function describeFetchFailure(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code === 'ECONNREFUSED') return 'connection refused (is Baton running there?)';
  if (cause?.code === 'ENOTFOUND') return 'no such host';
  return cause?.message ?? (error as Error).message ?? String(error);
}

function toProblem(text: string): Problem {
  const parsed = text ? safeJson(text) : undefined;
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return parsed as Problem;
  }
  // Not Baton's problem+json (a proxy's HTML page, or nothing): keep a short excerpt.
  return { detail: text.slice(0, 200) || undefined };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason as Error);
    });
  });
}
