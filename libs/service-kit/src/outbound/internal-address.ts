import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';

/**
 * Addresses an outbound request to a tenant's URL must not reach: loopback, private, link-local (cloud
 * metadata at 169.254.169.254), carrier-grade NAT, multicast and reserved
 * ranges. A tenant's callback or webhook URL would otherwise let it probe the network
 * Baton runs in (SSRF).
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
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  INTERNAL.addSubnet(network, prefix, 'ipv6');
}

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

export function isInternalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return INTERNAL.check(address, 'ipv4');
  if (family !== 6) return true; // not an address at all: refuse
  const mapped = IPV4_MAPPED.exec(address);
  return mapped ? INTERNAL.check(mapped[1], 'ipv4') : INTERNAL.check(address, 'ipv6');
}

export type Resolver = (host: string) => Promise<string[]>;

const resolveAll: Resolver = async (host) =>
  (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * Why the URL's host must not be called (it is or resolves to an internal
 * address), or null when it may. A name that resolves to several addresses is
 * refused if any is internal.
 */
export async function internalTarget(url: string, resolve: Resolver = resolveAll) {
  const host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  const addresses = isIP(host) ? [host] : await resolve(host);
  const internal = addresses.find(isInternalAddress);
  if (internal === undefined) return null;
  return host === internal
    ? `${host} is an internal address`
    : `${host} resolves to ${internal}, an internal address`;
}

/** A connection refused at connect time: its host resolved to an internal address. */
export class InternalAddressError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InternalAddressError';
  }
}

export type AddressResolver = (host: string) => Promise<LookupAddress[]>;

const resolveWithFamilies: AddressResolver = (host) => lookup(host, { all: true, verbatim: true });

/**
 * A socket `lookup` that refuses internal addresses when the connection is
 * made. Checking the URL first (internalTarget) is not enough on its own: the
 * HTTP client resolves the name again, and a name whose DNS answer changes in
 * between (DNS rebinding) would reach the inside. With this lookup the socket
 * connects only to an address that was checked. A name with any internal
 * address is refused, as internalTarget refuses it.
 */
export function publicOnlyLookup(resolve: AddressResolver = resolveWithFamilies): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (found) => {
        const addresses = options.family ? found.filter((a) => a.family === options.family) : found;
        const internal = found.find((a) => isInternalAddress(a.address));
        if (internal) {
          const reason = `${hostname} resolves to ${internal.address}, an internal address`;
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
