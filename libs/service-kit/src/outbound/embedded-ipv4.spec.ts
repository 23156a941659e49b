import { embeddedIpv4, ipv6Bytes, localNat64Candidates } from './embedded-ipv4';

describe('ipv6Bytes', () => {
  it('reads compressed, full and dotted-quad forms alike', () => {
    const hex = (address: string) => Buffer.from(ipv6Bytes(address)!).toString('hex');
    expect(hex('::1')).toBe('00000000000000000000000000000001');
    expect(hex('2001:db8:0:0:0:0:0:1')).toBe('20010db8000000000000000000000001');
    expect(hex('::ffff:127.0.0.1')).toBe(hex('::ffff:7f00:1'));
    expect(hex('64:ff9b::169.254.169.254')).toBe('0064ff9b0000000000000000a9fea9fe');
  });

  it('is null for anything that is not an IPv6 address', () => {
    expect(ipv6Bytes('127.0.0.1')).toBeNull();
    expect(ipv6Bytes('example.com')).toBeNull();
  });
});

describe('embeddedIpv4', () => {
  it.each([
    ['::ffff:10.0.0.1', '10.0.0.1', 'mapped'],
    ['::ffff:a00:1', '10.0.0.1', 'mapped'],
    ['::ffff:0:169.254.169.254', '169.254.169.254', 'translated'],
    ['::127.0.0.1', '127.0.0.1', 'compatible'],
    ['64:ff9b::a9fe:a9fe', '169.254.169.254', 'nat64'],
    ['64:ff9b::192.168.1.1', '192.168.1.1', 'nat64'],
    ['2002:a9fe:a9fe::1', '169.254.169.254', '6to4'],
    ['2002:c0a8:101:1::5', '192.168.1.1', '6to4'],
  ])('%s carries %s (%s)', (address, ipv4, via) => {
    expect(embeddedIpv4(address)).toEqual({ ipv4, via });
  });

  it.each(['::', '::1', '2606:4700::1111', 'fe80::1', '64:ff9b:0:1::a9fe:a9fe'])(
    '%s carries none',
    (address) => {
      expect(embeddedIpv4(address)).toBeNull();
    },
  );
});

describe('localNat64Candidates (64:ff9b:1::/48, prefix length unknown)', () => {
  it('reads the IPv4 address under the /96 layout', () => {
    expect(localNat64Candidates('64:ff9b:1::a9fe:a9fe')).toContain('169.254.169.254');
  });

  it('reads it under the /48 layout, which skips bits 64-71', () => {
    // 169.254.169.254 at /48: a9fe in bits 48-63, then a9fe in bits 72-87.
    expect(localNat64Candidates('64:ff9b:1:a9fe:a9:fe00::')).toContain('169.254.169.254');
  });

  it('is empty outside the prefix', () => {
    expect(localNat64Candidates('64:ff9b::a9fe:a9fe')).toEqual([]);
    expect(localNat64Candidates('10.0.0.1')).toEqual([]);
  });
});
