/** An error answered by the Baton API, with its RFC 9457 problem document. */
export class BatonApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: {
      title?: string;
      detail?: string;
      code?: string;
      errors?: { field: string; message: string }[];
    },
  ) {
    super(`${status} ${problem.title ?? 'error'}: ${problem.detail ?? ''}`.trim());
    this.name = 'BatonApiError';
  }
}

export interface HttpOptions {
  apiKey: string;
  endpoint: string;
  workspaceId?: string;
  timeoutMs?: number;
}

export interface RequestInit {
  body?: unknown;
  contentType?: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | undefined>;
  /** Overrides the client's timeout for one call (a synchronous invoke waits on purpose). */
  timeoutMs?: number;
}

/** A thin fetch wrapper: bearer auth, JSON in and out, problem+json turned into BatonApiError. */
export class HttpClient {
  private readonly base: string;

  constructor(private readonly options: HttpOptions) {
    this.base = options.endpoint.replace(/\/+$/, '');
  }

  async request<T>(method: string, path: string, init: RequestInit = {}): Promise<T> {
    const url = new URL(this.base + path);
    for (const [key, value] of Object.entries(init.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.options.apiKey}`,
      accept: 'application/json',
      ...(this.options.workspaceId ? { 'x-workspace-id': this.options.workspaceId } : {}),
      ...init.headers,
    };
    let body: string | undefined;
    if (init.body !== undefined) {
      headers['content-type'] = init.contentType ?? 'application/json';
      body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
    }
    const response = await fetch(url, {
      method,
      headers,
      body,
      signal: AbortSignal.timeout(init.timeoutMs ?? this.options.timeoutMs ?? 30_000),
    });
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok)
      throw new BatonApiError(response.status, (parsed as object) ?? { detail: text });
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
