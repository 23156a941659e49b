import { internalTarget, isInternalAddress } from './callback-address';

describe('callback addresses (SSRF)', () => {
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
