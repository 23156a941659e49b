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
