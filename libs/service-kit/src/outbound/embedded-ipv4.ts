import { isIPv6 } from 'node:net';

/**
 * IPv6 addresses that carry an IPv4 address inside them, and where. A
 * translator or relay on the way turns such an address back into the IPv4 one,
 * so 64:ff9b::a9fe:a9fe reaches 169.254.169.254 (cloud metadata) through a
 * NAT64 gateway; the guard must judge the IPv4 address, not the IPv6 one.
 */
export type Embedding = 'mapped' | 'translated' | 'compatible' | 'nat64' | 'nat64-local' | '6to4';

export interface EmbeddedIpv4 {
  ipv4: string;
  via: Embedding;
}

/** The 16 bytes of an IPv6 address (with or without a trailing dotted quad), or null. */
export function ipv6Bytes(address: string): Uint8Array | null {
  if (!isIPv6(address)) return null;
  let text = address.replace(/%.*$/, '');
  const quad = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const words =
    tail === undefined
      ? left
      : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  if (words.length !== 8) return null;
  const bytes = new Uint8Array(16);
  words.forEach((word, i) => {
    const value = parseInt(word, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

const dotted = (b: Uint8Array, at: number) => Array.from(b.subarray(at, at + 4)).join('.');
const zero = (b: Uint8Array, from: number, to: number) =>
  b.subarray(from, to).every((x) => x === 0);
const word = (b: Uint8Array, i: number) => (b[2 * i] << 8) | b[2 * i + 1];

/** The IPv4 address an IPv6 address embeds, or null when it embeds none we know of. */
export function embeddedIpv4(address: string): EmbeddedIpv4 | null {
  const b = ipv6Bytes(address);
  if (!b) return null;
  // ::ffff:a.b.c.d (mapped, RFC 4291), ::ffff:0:a.b.c.d (translated, RFC 2765)
  if (zero(b, 0, 10) && word(b, 5) === 0xffff) return { ipv4: dotted(b, 12), via: 'mapped' };
  if (zero(b, 0, 8) && word(b, 4) === 0xffff && word(b, 5) === 0) {
    return { ipv4: dotted(b, 12), via: 'translated' };
  }
  // ::a.b.c.d (compatible, deprecated by RFC 4291); :: and ::1 are not IPv4 addresses.
  if (zero(b, 0, 12) && !zero(b, 12, 15)) return { ipv4: dotted(b, 12), via: 'compatible' };
  // 64:ff9b::/96, the well-known NAT64 prefix (RFC 6052): IPv4 in the last 32 bits.
  if (word(b, 0) === 0x64 && word(b, 1) === 0xff9b && zero(b, 4, 12)) {
    return { ipv4: dotted(b, 12), via: 'nat64' };
  }
  // 2002:AABB:CCDD::/48, 6to4 (RFC 3056): the relay's IPv4 address in bits 16-47.
  if (word(b, 0) === 0x2002) return { ipv4: dotted(b, 2), via: '6to4' };
  return null;
}

/**
 * 64:ff9b:1::/48 (RFC 8215) is for local NAT64 prefixes of any length up to
 * /96, so where the IPv4 address sits depends on a length we cannot know: the
 * candidates under each RFC 6052 layout from /48 to /96 (bits 64-71 are
 * always skipped). A guard refuses the address if any candidate is refused.
 */
export function localNat64Candidates(address: string): string[] {
  const b = ipv6Bytes(address);
  if (!b || word(b, 0) !== 0x64 || word(b, 1) !== 0xff9b || word(b, 2) !== 0x0001) return [];
  // The 32 bits of IPv4 start at bit `prefix` and skip byte 8 (bits 64-71).
  const candidate = (start: number) => {
    const octets: number[] = [];
    for (let i = start; octets.length < 4; i++) if (i !== 8) octets.push(b[i]);
    return octets.join('.');
  };
  return [6, 7, 9, 12].map(candidate); // prefixes /48, /56, /64, /96
}
