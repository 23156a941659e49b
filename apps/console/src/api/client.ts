import { ApiError, type Problem } from './problem';

/** The one way the console speaks to Baton: the public HTTP API, with the signed-in key. */
export class ApiClient {
  constructor(
    private readonly apiKey: string,
    private readonly baseUrl = '',
  ) {}

  headers(extra: Record<string, string> = {}): Record<string, string> {
    return { authorization: `Bearer ${this.apiKey}`, accept: 'application/json', ...extra };
  }

  get<T>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>('GET', path, { signal });
  }

  post<T>(path: string, body?: unknown): Promise<T> {
    return this.request<T>('POST', path, { body });
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
      credentials: 'omit', // the key is the credential; no cookie rides along
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
