import {
  isInternalAddress,
  isLinkLocalAddress,
  OutboundHttp,
  type AddressPolicy,
} from '@baton/service-kit';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Parses CONNECTOR_ALLOWED_NETWORKS: comma-separated addresses or CIDRs
 * (`127.0.0.1/32,10.20.0.0/16,::1`). Throws naming the bad entry.
 */
export function parseAllowedNetworks(text: string): BlockList {
  const list = new BlockList();
  for (const raw of text.split(',')) {
    const entry = raw.trim();
    if (entry === '') continue;
    const [address, prefixText] = entry.split('/');
    const family = isIP(address);
    const prefix = prefixText === undefined ? (family === 6 ? 128 : 32) : Number(prefixText);
    const max = family === 6 ? 128 : 32;
    if (family === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max) {
      throw new Error(`CONNECTOR_ALLOWED_NETWORKS: '${entry}' is not an address or CIDR`);
    }
    list.addSubnet(address, prefix, family === 6 ? 'ipv6' : 'ipv4');
  }
  return list;
}

function inAllowList(list: BlockList, address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return list.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** The host is, or resolves to, an address the policy refuses. */
export class RefusedTargetError extends Error {
  override name = 'RefusedTargetError';
}

/**
 * The outbound address guard of connectors. Public addresses are reachable;
 * internal ones (loopback, private, CGNAT…) only where the operator lists
 * them in CONNECTOR_ALLOWED_NETWORKS (`allowAllPrivate` is the webhook
 * connector's historic WEBHOOK_ALLOW_PRIVATE_NETWORKS); link-local (cloud
 * metadata) never. HTTP goes through OutboundHttp with this policy (checked
 * at connect time, so DNS rebinding cannot slip past); database drivers get
 * the address resolved and checked here, and connect to that address.
 */
export class TargetPolicy {
  readonly policy: AddressPolicy;

  constructor(
    allowed: BlockList,
    allowAllPrivate = false,
    private readonly resolve: (host: string) => Promise<string[]> = async (host) =>
      (await lookup(host, { all: true, verbatim: true })).map((a) => a.address),
  ) {
    this.policy = {
      refuses: (address) =>
        isLinkLocalAddress(address) ||
        (isInternalAddress(address) && !allowAllPrivate && !inAllowList(allowed, address)),
      what: 'an internal address not in CONNECTOR_ALLOWED_NETWORKS',
    };
  }

  http(): OutboundHttp {
    return new OutboundHttp({ allowPrivateNetworks: false, policy: this.policy });
  }

  /**
   * Why `host` must not be reached, or null. A name is refused if any of its
   * addresses is; a name that does not resolve now is left to the call (as
   * webhook URLs are), which resolves and checks it again.
   */
  async refusal(host: string): Promise<string | null> {
    try {
      await this.address(host);
      return null;
    } catch (error) {
      return error instanceof RefusedTargetError ? error.message : null;
    }
  }

  /** The checked address to connect to (so a changing DNS answer cannot redirect the driver). */
  async address(host: string): Promise<string> {
    const bare = host.replace(/^\[|\]$/g, '');
    const addresses = isIP(bare) ? [bare] : await this.resolve(bare);
    if (addresses.length === 0) throw new Error(`${bare} has no address`);
    const refused = addresses.find((a) => this.policy.refuses(a));
    if (refused !== undefined) {
      throw new RefusedTargetError(
        refused === bare
          ? `${bare} is ${this.policy.what}`
          : `${bare} resolves to ${refused}, ${this.policy.what}`,
      );
    }
    return addresses[0];
  }
}
