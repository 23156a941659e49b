import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { embeddedIpv4, localNat64Candidates } from './embedded-ipv4';

/**
 * Addresses an outbound request to a tenant's URL must not reach: loopback, private, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved
 * ranges. A tenant's callback or webhook URL would otherwise let it probe the network
 * Baton runs in (SSRF). IPv6 ranges that translate to IPv4 (NAT64, 6to4) are
 * internal as a whole: they lead to whatever IPv4 address they embed, through
 * a gateway inside the network, so a public-looking IPv6 address can reach a
 * private IPv4 one. That also refuses public hosts behind a DNS64 resolver, a
 * price worth paying until an operator asks for it.
 */
const INTERNAL = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-compatible (::a.b.c.d), deprecated: nothing public is reached that way.
  ['::', 96],
  ['64:ff9b::', 96], // NAT64, well-known prefix (RFC 6052)
  ['64:ff9b:1::', 48], // NAT64, local-use prefixes (RFC 8215)
  ['2002::', 16], // 6to4 (RFC 3056)
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10], // site-local, deprecated (RFC 3879) but still routed on old networks
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

/**
 * Link-local addresses, where clouds serve instance metadata and credentials
 * (169.254.169.254, and AWS's fd00:ec2::254). Nothing Baton calls has a
 * reason to be there, even where private networks are allowed.
 */
const LINK_LOCAL = new BlockList();
LINK_LOCAL.addSubnet('169.254.0.0', 16, 'ipv4');
LINK_LOCAL.addSubnet('fe80::', 10, 'ipv6');
LINK_LOCAL.addAddress('fd00:ec2::254', 'ipv6');

/**
 * An IPv6 address is in the list if it is, or if an IPv4 address it embeds
 * (mapped, NAT64, 6to4: see embedded-ipv4.ts) is: 64:ff9b::169.254.169.254 is
 * cloud metadata however it is written.
 */
function inList(list: BlockList, address: string): boolean {
  const family = isIP(address);
  if (family === 4) return list.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse
  if (list.check(address, 'ipv6')) return true;
  const embedded = embeddedIpv4(address);
  if (embedded && list.check(embedded.ipv4, 'ipv4')) return true;
  return localNat64Candidates(address).some((ipv4) => list.check(ipv4, 'ipv4'));
}

export function isInternalAddress(address: string): boolean {
  return inList(INTERNAL, address);
}

export function isLinkLocalAddress(address: string): boolean {
  return inList(LINK_LOCAL, address);
}

/** Which addresses a caller refuses, and how a refusal names them. */
export interface AddressPolicy {
  refuses: (address: string) => boolean;
  what: string;
}

/** Tenant-given URLs by default: nothing but public addresses. */
export const PUBLIC_ONLY: AddressPolicy = {
  refuses: isInternalAddress,
  what: 'an internal address',
};

/** Where private networks are allowed: everything but link-local (cloud metadata). */
export const NO_LINK_LOCAL: AddressPolicy = {
  refuses: isLinkLocalAddress,
  what: 'a link-local (cloud metadata) address',
};

export function addressPolicy(allowPrivateNetworks: boolean): AddressPolicy {
  return allowPrivateNetworks ? NO_LINK_LOCAL : PUBLIC_ONLY;
}

export type Resolver = (host: string) => Promise<string[]>;

const resolveAll: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why the URL's host must not be called (it is or resolves to an internal
 * address), or null when it may. A name that resolves to several addresses is
 * refused if any is internal.
 */
export async function internalTarget(
  url: string,
  resolve: Resolver = resolveAll,
  policy: AddressPolicy = PUBLIC_ONLY,
) {
  const host = hostOf(url);
  const addresses = isIP(host) ? [host] : await resolve(host);
  const internal = addresses.find(policy.refuses);
  if (internal === undefined) return null;
  return host === internal
    ? `${host} is ${policy.what}`
    : `${host} resolves to ${internal}, ${policy.what}`;
}

/**
 * internalTarget for a URL given now (a 422 when a connection or
 * subscription is created): a name that does not resolve yet is not an
 * error here; the request's own checks decide when it is sent.
 */
export function urlRefusal(
  url: string,
  policy: AddressPolicy,
  resolve: Resolver = resolveAll,
): Promise<string | null> {
  return internalTarget(url, resolve, policy).catch(() => null);
}

/**
 * The refusal of a URL whose host is an IP literal, without resolving
 * anything. A socket to an IP literal never calls its `lookup`, so this is
 * the check publicOnlyLookup cannot make; a name is left to that lookup.
 */
export function literalTarget(url: string, policy: AddressPolicy): string | null {
  const host = hostOf(url);
  return isIP(host) && policy.refuses(host) ? `${host} is ${policy.what}` : null;
}

function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[|\]$/g, '');
}

/** A connection refused at connect time: its host resolved to an address the policy refuses. */
export class InternalAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalAddressError';
  }
}

export type AddressResolver = (host: string) => Promise<LookupAddress[]>;

const resolveWithFamilies: AddressResolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * A socket `lookup` that refuses the policy's addresses (by default every
 * internal one) when the connection is made. Checking the URL first (internalTarget) is not enough on its own: the
 * HTTP client resolves the name again, and a name whose DNS answer changes in
 * between (DNS rebinding) would reach the inside. With this lookup the socket
 * connects only to an address that was checked. A name with any refused
 * address is refused, as internalTarget refuses it.
 */
export function publicOnlyLookup(
  resolve: AddressResolver = resolveWithFamilies,
  policy: AddressPolicy = PUBLIC_ONLY,
): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const addresses = options.family ? found.filter((a) => a.family === options.family) : found;
        const internal = found.find((a) => policy.refuses(a.address));
        if (internal) {
          const reason = `${hostname} resolves to ${internal.address}, ${policy.what}`;
          callback(new InternalAddressError(reason), '', 0);
        } else if (addresses.length === 0) {
          callback(
            Object.assign(new Error(`${hostname} has no address`), { code: 'ENOTFOUND' }),
            '',
            0,
          );
        } else if (options.all) {
          callback(null, addresses);
        } else {
          callback(null, addresses[0].address, addresses[0].family);
        }
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}
