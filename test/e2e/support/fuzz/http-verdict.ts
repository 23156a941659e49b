import type { HttpCase } from './http-cases';

/** What the gateway answered to one case, or that it did not answer in time. */
export interface HttpOutcome {
  status: number | 'timeout' | 'network-error';
  contentType: string;
  bodyStart: string;
}

/** A case the platform got wrong, with the request to replay it. */
export interface Finding {
  kind: string;
  reproduce: string;
  detail: string;
}

/**
 * The fuzz contract: a 5xx is only ever "unavailable" or "timed out" (503,
 * 504); every 4xx is problem+json; every request is answered.
 */
export function judge(
  outcome: HttpOutcome,
  httpCase: HttpCase,
  clientTimeoutMs: number,
): string | undefined {
  if (outcome.status === 'timeout') {
    if ((httpCase.mayWaitMs ?? 0) >= clientTimeoutMs) return undefined;
    return 'no answer within the client timeout (a hang)';
  }
  if (outcome.status === 'network-error')
    return 'connection failed (the gateway dropped it or is down)';
  if (outcome.status === 502 && agentFailed(outcome)) return undefined;
  if (outcome.status >= 500 && outcome.status !== 503 && outcome.status !== 504) {
    return `answered ${outcome.status}`;
  }
  if (oauthError(outcome, httpCase)) return undefined;
  if (outcome.status >= 400 && !outcome.contentType.startsWith('application/problem+json')) {
    return `answered ${outcome.status} as "${outcome.contentType}", not application/problem+json`;
  }
  return undefined;
}

/**
 * The one documented 502 (README, "Agents"): an invoked agent reported that it
 * failed the task. That is the agent's answer relayed, not Baton failing.
 */
function agentFailed(outcome: HttpOutcome): boolean {
  return (
    /"code":"UPSTREAM\.FAILED"/.test(outcome.bodyStart) &&
    /agent '[^']*' failed task/.test(outcome.bodyStart)
  );
}

/**
 * The other documented error format (README, "Security"): the OAuth token
 * endpoint answers 400 and 401 as RFC 6749 §5.2 JSON, which OAuth clients parse.
 */
function oauthError(outcome: HttpOutcome, httpCase: HttpCase): boolean {
  return (
    httpCase.url.split('?')[0] === '/oauth/token' &&
    (outcome.status === 400 || outcome.status === 401) &&
    outcome.contentType.startsWith('application/json') &&
    /^\{"error":"(invalid_request|invalid_client|unsupported_grant_type|invalid_scope)","error_description":"/.test(
      outcome.bodyStart,
    )
  );
}

/** The case as a curl line (with the key elided) so that a failure can be replayed by hand. */
export function curlOf(baseUrl: string, httpCase: HttpCase): string {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl -i -X', httpCase.method, quote(baseUrl + httpCase.url)];
  for (const [name, value] of Object.entries(httpCase.headers)) {
    parts.push('-H', quote(`${name}: ${abbreviate(value, 200)}`));
  }
  if (httpCase.body !== undefined)
    parts.push('--data-binary', quote(abbreviate(httpCase.body, 2000)));
  return parts.join(' ');
}

export function abbreviate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}…(${text.length} chars)`;
}
