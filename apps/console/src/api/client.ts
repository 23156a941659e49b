import { ApiError, type Problem } from './problem';

/**
 * The one way the console speaks to Baton: the public HTTP API, with the
 * signed-in credential. That is an API key (or a bearer token) sent in the
 * Authorization header, or, with `null`, the gateway's single-sign-on session:
 * an HttpOnly cookie the page cannot read, sent to this origin only.
 */
export class ApiClient {
  constructor(
    private readonly apiKey: string | null,
    private readonly baseUrl = '',
  ) {}

  /** Whether this client rides on the SSO session cookie rather than a key. */
  get usesSession(): boolean {
    return this.apiKey === null;
  }

  /** Cookies go along only for the SSO session; a key is the whole credential otherwise. */
  get credentials(): RequestCredentials {
    return this.apiKey === null ? 'same-origin' : 'omit';
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const auth: Record<string, string> = this.apiKey
      ? { authorization: `Bearer ${this.apiKey}` }
      : {};
    return { ...auth, accept: 'application/json', ...extra };
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { signal });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
  }

  delete<T>(path: string): Promise<T> {
    return this.request<T>('DELETE', path);
  }

  /** Sends YAML text as the user wrote it (application/yaml), e.g. to create or validate a workflow. */
  postYaml<T>(path: string, yaml: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('POST', path, { raw: yaml, contentType: 'application/yaml', signal });
  }

  async request<T>(
    method: string,
    path: string,
    options: { body?: unknown; raw?: string; contentType?: string; signal?: AbortSignal } = {},
  ): Promise<T> {
    const headers = this.headers();
    let body: string | undefined;
    if (options.raw !== undefined) {
      body = options.raw;
      headers['content-type'] = options.contentType ?? 'text/plain';
    } else if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body,
      signal: options.signal,
      credentials: this.credentials,
    });
    const text = await response.text();
    const parsed = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const problem: Problem =
        parsed && typeof parsed === 'object'
          ? { status: response.status, ...(parsed as Partial<Problem>) }
          : { status: response.status, title: response.statusText, detail: text.slice(0, 500) };
      throw new ApiError(problem);
    }
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

/** A query string from the filled-in fields only. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
