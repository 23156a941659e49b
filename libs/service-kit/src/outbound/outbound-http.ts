import { Agent, fetch, Headers as UndiciHeaders, type RequestInit, type Response } from 'undici';
import { withHttpClientSpan } from './outbound-tracing';
import {
  addressPolicy,
  InternalAddressError,
  literalTarget,
  publicOnlyLookup,
  urlRefusal,
  type AddressPolicy,
  type AddressResolver,
  type Resolver,
} from './internal-address';

/** What OutboundHttp.fetch answers (undici's Response). */
export type OutboundResponse = Response;

/** The URL is, or resolves to, an address Baton must not call. Retrying cannot help. */
export class OutboundRefusedError extends Error {
  constructor(reason: string) {
    super(`refused: ${reason}`);
    this.name = 'OutboundRefusedError';
  }
}

export interface OutboundHttpOptions {
  /**
   * Let requests reach loopback and private addresses: for local development,
   * receivers inside the operator's network, and agents (which usually live
   * there). Link-local addresses (cloud metadata) stay refused either way.
   */
  allowPrivateNetworks: boolean;
  /** Overrides the policy allowPrivateNetworks picks (e.g. an operator's allow-list of networks). */
  policy?: AddressPolicy;
  /** For tests: how names resolve for refusal(), and at connect time. */
  resolve?: Resolver;
  resolveAtConnect?: AddressResolver;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** The caller's headers plus the trace's (which never replace one the caller set). */
function withHeaders(
  headers: RequestInit['headers'],
  traceHeaders: Record<string, string>,
): RequestInit['headers'] {
  if (Object.keys(traceHeaders).length === 0) return headers;
  const merged = new UndiciHeaders(headers);
  for (const [name, value] of Object.entries(traceHeaders)) {
    if (!merged.has(name)) merged.set(name, value);
  }
  return merged;
}

/**
 * HTTP to URLs that tenants give (task callbacks, webhook connections and
 * subscriptions, HTTP and LLM agents). A host that is a refused IP literal
 * fails before any request; a name is checked by the socket's own lookup as
 * it connects, so it connects only to an address that was checked, however
 * its DNS answer changes (DNS rebinding), and no request pays for a second
 * resolution. Either way the caller gets an OutboundRefusedError naming the
 * host, never the whole URL (which may carry a token).
 */
export class OutboundHttp {
  private readonly dispatcher: Agent;
  private readonly policy: AddressPolicy;

  constructor(private readonly options: OutboundHttpOptions) {
    this.policy = options.policy ?? addressPolicy(options.allowPrivateNetworks);
    this.dispatcher = new Agent({
      connect: { lookup: publicOnlyLookup(options.resolveAtConnect, this.policy) },
    });
  }

  /**
   * Why this URL would be refused, or null: for a 422 when the URL is given.
   * A name that does not resolve now is left to the request's own check.
   */
  refusal(url: string | URL): Promise<string | null> {
    return urlRefusal(String(url), this.policy, this.options.resolve);
  }

  /**
   * Like fetch, through the guarded connection pool. Redirects are followed
   * only for GET and HEAD, up to `followRedirects` hops, each checked like
   * the first URL (an IP literal in a Location header never meets the
   * connect-time lookup); any other 3xx is answered as it is, since a
   * redirected POST could carry the body somewhere nobody configured.
   */
  async fetch(
    url: string | URL,
    init: Omit<RequestInit, 'dispatcher' | 'redirect'> = {},
    { followRedirects = 0 }: { followRedirects?: number } = {},
  ): Promise<OutboundResponse> {
    const method = (init.method ?? 'GET').toUpperCase();
    let target = new URL(url);
    for (let hop = 0; ; hop++) {
      const response = await this.once(target, init);
      const location = response.headers.get('location');
      const follow =
        REDIRECTS.has(response.status) &&
        location !== null &&
        hop < followRedirects &&
        (method === 'GET' || method === 'HEAD');
      if (!follow) return response;
      await response.body?.cancel().catch(() => undefined);
      target = new URL(location, target);
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async once(url: URL, init: Omit<RequestInit, 'dispatcher' | 'redirect'>) {
    const refused = literalTarget(url.href, this.policy);
    if (refused) throw new OutboundRefusedError(refused);
    const method = (init.method ?? 'GET').toUpperCase();
    return withHttpClientSpan(method, url, (traceHeaders) =>
      this.send(url, { ...init, headers: withHeaders(init.headers, traceHeaders) }),
    );
  }

  private async send(url: URL, init: Omit<RequestInit, 'dispatcher' | 'redirect'>) {
    try {
      return await fetch(url, { ...init, redirect: 'manual', dispatcher: this.dispatcher });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof InternalAddressError) throw new OutboundRefusedError(cause.message);
      throw error;
    }
  }
}
