import type { LookupAddress } from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { Agent, fetch } from 'undici';
import {
  InternalAddressError,
  internalTarget,
  isInternalAddress,
  isLinkLocalAddress,
  NO_LINK_LOCAL,
  publicOnlyLookup,
} from './internal-address';

describe('internal addresses (SSRF)', () => {
  it.each([
    '127.0.0.1',
    '10.1.2.3',
    '172.20.0.1',
    '192.168.1.10',
    '169.254.169.254',
    '100.64.0.1',
    '0.0.0.0',
    '::1',
    'fd00::1',
    'fe80::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1', // the same, as new URL() writes it
    '::ffff:0:10.0.0.1', // IPv4-translated
    '::10.0.0.1', // IPv4-compatible
    '::8.8.8.8', // compatible addresses are deprecated: none is public
    '64:ff9b::10.0.0.1', // NAT64 to a private address
    '64:ff9b::8.8.8.8', // NAT64 as a whole: its gateway is inside the network
    '64:ff9b:1::808:808', // local-use NAT64
    '2002:c0a8:101::1', // 6to4 relay at 192.168.1.1
    '2002:808:808::1', // 6to4 as a whole
    'fec0::1', // site-local
    'feff::1',
    'not-an-address',
  ])('refuses %s', (address) => {
    expect(isInternalAddress(address)).toBe(true);
  });

  it.each(['93.184.216.34', '8.8.8.8', '2606:4700::1111', '::ffff:8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isInternalAddress(address)).toBe(false);
    },
  );

  it('refuses a mapped or NAT64 literal however the URL writes it', async () => {
    const resolve = jest.fn();
    expect(await internalTarget('http://[::ffff:127.0.0.1]/cb', resolve)).toBe(
      '::ffff:7f00:1 is an internal address',
    );
    expect(await internalTarget('http://[64:ff9b::169.254.169.254]/', resolve, NO_LINK_LOCAL)).toBe(
      '64:ff9b::a9fe:a9fe is a link-local (cloud metadata) address',
    );
    expect(resolve).not.toHaveBeenCalled();
  });

  it('checks literal hosts without resolving them, IPv6 in brackets too', async () => {
    const resolve = jest.fn();
    expect(await internalTarget('http://127.0.0.1:8080/cb', resolve)).toBe(
      '127.0.0.1 is an internal address',
    );
    expect(await internalTarget('http://[::1]/cb', resolve)).toBe('::1 is an internal address');
    expect(await internalTarget('https://8.8.8.8/cb', resolve)).toBeNull();
    expect(resolve).not.toHaveBeenCalled();
  });

  it('refuses a name when any of its addresses is internal', async () => {
    const resolve = async () => ['93.184.216.34', '10.0.0.5'];
    expect(await internalTarget('https://hooks.example.com/x', resolve)).toBe(
      'hooks.example.com resolves to 10.0.0.5, an internal address',
    );
    expect(
      await internalTarget('https://hooks.example.com/x', async () => ['93.184.216.34']),
    ).toBeNull();
  });
});

describe('link-local addresses (cloud metadata), refused even where private networks are allowed', () => {
  it.each(['169.254.169.254', '169.254.0.1', 'fe80::1', 'fd00:ec2::254', '::ffff:169.254.169.254'])(
    'refuses %s',
    (address) => {
      expect(isLinkLocalAddress(address)).toBe(true);
    },
  );

  it.each(['127.0.0.1', '10.0.0.5', '192.168.1.10', 'fd00::1', '8.8.8.8'])(
    'allows %s',
    (address) => {
      expect(isLinkLocalAddress(address)).toBe(false);
    },
  );

  it.each([
    '64:ff9b::169.254.169.254', // NAT64 to cloud metadata
    '64:ff9b::a9fe:a9fe',
    '64:ff9b:1::a9fe:a9fe', // local-use NAT64, /96 layout
    '64:ff9b:1:a9fe:a9:fe00::', // local-use NAT64, /48 layout
    '2002:a9fe:a9fe::1', // 6to4 relay at 169.254.169.254
    '::ffff:a9fe:a9fe', // mapped, written in hex as URL parsing writes it
    '::ffff:0:169.254.169.254', // translated
    '::169.254.169.254', // compatible
  ])('refuses %s, which embeds a link-local IPv4 address', (address) => {
    expect(isLinkLocalAddress(address)).toBe(true);
    expect(NO_LINK_LOCAL.refuses(address)).toBe(true);
  });

  it.each(['64:ff9b::10.0.0.5', '2002:c0a8:101::1', '64:ff9b::8.8.8.8', 'fec0::1'])(
    'allows %s where private networks are allowed (not link-local)',
    (address) => {
      expect(isLinkLocalAddress(address)).toBe(false);
    },
  );

  it('names the refusal by the policy', async () => {
    expect(await internalTarget('http://10.0.0.5/agent', undefined, NO_LINK_LOCAL)).toBeNull();
    expect(
      await internalTarget('http://metadata.test/', async () => ['169.254.169.254'], NO_LINK_LOCAL),
    ).toBe('metadata.test resolves to 169.254.169.254, a link-local (cloud metadata) address');
  });
});

describe('publicOnlyLookup: the check made again when the socket connects (DNS rebinding)', () => {
  let server: Server;
  let port: number;
  let requests = 0;
  /** What a rebinding name answers once the URL check has passed: the machine itself. */
  const rebound = async (): Promise<LookupAddress[]> => [{ address: '127.0.0.1', family: 4 }];

  beforeAll(async () => {
    server = createServer((_request, response) => {
      requests++;
      response.end('reached');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const post = (lookup: LookupFunction) => {
    const dispatcher = new Agent({ connect: { lookup } });
    return fetch(`http://hooks.rebinding.test:${port}/cb`, { method: 'POST', dispatcher }).finally(
      () => dispatcher.close(),
    );
  };

  it('connects through a plain lookup of the same answer (the control)', async () => {
    const plain: LookupFunction = (_host, options, callback) =>
      options.all
        ? callback(null, [{ address: '127.0.0.1', family: 4 }])
        : callback(null, '127.0.0.1', 4);
    const before = requests;
    const response = await post(plain);
    expect(await response.text()).toBe('reached');
    expect(requests).toBe(before + 1);
  });

  it('refuses the connection, and the server is never reached', async () => {
    const before = requests;
    const failure = await post(publicOnlyLookup(rebound)).then(
      () => undefined,
      (error: Error & { cause?: unknown }) => error.cause,
    );
    expect(failure).toBeInstanceOf(InternalAddressError);
    expect((failure as Error).message).toBe(
      'hooks.rebinding.test resolves to 127.0.0.1, an internal address',
    );
    expect(requests).toBe(before);
  });

  it('hands public addresses to the socket, one or all, of the family asked for', async () => {
    const lookup = publicOnlyLookup(async () => [
      { address: '2606:4700::1111', family: 6 },
      { address: '93.184.216.34', family: 4 },
    ]);
    const ask = (options: { all?: boolean; family?: number }) =>
      new Promise<unknown[]>((resolve) =>
        lookup('hooks.example.com', options, (...answer) => resolve(answer)),
      );
    expect(await ask({ all: true })).toEqual([
      null,
      [
        { address: '2606:4700::1111', family: 6 },
        { address: '93.184.216.34', family: 4 },
      ],
    ]);
    expect(await ask({ family: 4 })).toEqual([null, '93.184.216.34', 4]);
  });
});
