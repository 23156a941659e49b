import { Agent, fetch, type RequestInit, type Response } from 'undici';
import {
  InternalAddressError,
  internalTarget,
  publicOnlyLookup,
  type AddressResolver,
  type Resolver,
} from './internal-address';

/** The URL is, or resolves to, an address Baton must not call. Retrying cannot help. */
export class OutboundRefusedError extends Error {
  constructor(reason: string) {
    super(`refused: ${reason}`);
    this.name = 'OutboundRefusedError';
  }
}

export interface OutboundHttpOptions {
  /**
   * Let requests reach loopback, private and link-local addresses: for local
   * development and for receivers that live inside the operator's network.
   */
  allowPrivateNetworks: boolean;
  /** For tests: how names resolve, for the first check and at connect time. */
  resolve?: Resolver;
  resolveAtConnect?: AddressResolver;
}

/**
 * HTTP to URLs that tenants give (task callbacks, webhook connections,
 * webhook subscriptions). Unless private networks are allowed, a URL whose
 * host is or resolves to an internal address is refused before any request,
 * and the socket connects only to an address checked at connect time, so a
 * name whose DNS answer changes in between (DNS rebinding) is refused too.
 * Either way the caller gets an OutboundRefusedError naming the host, never
 * the whole URL (which may carry a token).
 */
export class OutboundHttp {
  private readonly dispatcher: Agent;

  constructor(private readonly options: OutboundHttpOptions) {
    this.dispatcher = new Agent(
      options.allowPrivateNetworks
        ? {}
        : { connect: { lookup: publicOnlyLookup(options.resolveAtConnect) } },
    );
  }

  get allowsPrivateNetworks(): boolean {
    return this.options.allowPrivateNetworks;
  }

  /** Like fetch, through the guarded connection pool; redirects are never followed. */
  async fetch(url: string | URL, init: Omit<RequestInit, 'dispatcher'> = {}): Promise<Response> {
    if (!this.options.allowPrivateNetworks) {
      const refused = await internalTarget(String(url), this.options.resolve);
      if (refused) throw new OutboundRefusedError(refused);
    }
    try {
      // A redirect could carry the request to an address nobody checked.
      return await fetch(url, { ...init, redirect: 'manual', dispatcher: this.dispatcher });
    } catch (error) {
      const cause = (error as { cause?: unknown }).cause;
      if (cause instanceof InternalAddressError) throw new OutboundRefusedError(cause.message);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}
