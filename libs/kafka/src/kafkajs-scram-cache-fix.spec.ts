import { pbkdf2Sync } from 'node:crypto';
import { cachedHi, fixKafkajsScramDerivation } from './kafkajs-scram-cache-fix';

const sha512 = { type: 'sha512', length: 64 };

describe('SCRAM SaltedPassword derived once per credential', () => {
  it('derives once for equal inputs and again for any other password, salt or count', async () => {
    const calls: string[] = [];
    const hi = cachedHi(async (password, salt, iterations, digest) => {
      calls.push(`${password}/${salt.toString('hex')}/${iterations}`);
      return pbkdf2Sync(password, salt, iterations, digest.length, digest.type);
    });
    const salt = Buffer.from('salt-a');
    const first = await hi('pw', salt, 4096, sha512);
    expect(await hi('pw', Buffer.from('salt-a'), 4096, sha512)).toBe(first);
    expect(calls).toHaveLength(1);
    await hi('pw-rotated', salt, 4096, sha512);
    await hi('pw', Buffer.from('salt-b'), 4096, sha512);
    await hi('pw', salt, 8192, sha512);
    expect(calls).toHaveLength(4);
    expect(first).toEqual(pbkdf2Sync('pw', salt, 4096, 64, 'sha512'));
  });

  it('shares one derivation between handshakes that start together, and forgets a failed one', async () => {
    let calls = 0;
    let fail = true;
    const hi = cachedHi(async () => {
      calls++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail) throw new Error('boom');
      return Buffer.from('key');
    });
    const salt = Buffer.from('s');
    await expect(
      Promise.all([hi('p', salt, 4096, sha512), hi('p', salt, 4096, sha512)]),
    ).rejects.toThrow('boom');
    expect(calls).toBe(1);
    fail = false;
    await new Promise((resolve) => setImmediate(resolve));
    expect(await hi('p', salt, 4096, sha512)).toEqual(Buffer.from('key'));
    expect(calls).toBe(2);
  });

  it('keeps at most the given number of credentials', async () => {
    let calls = 0;
    const hi = cachedHi(async () => Buffer.from(String(++calls)), 2);
    const salt = Buffer.from('s');
    await hi('a', salt, 4096, sha512);
    await hi('b', salt, 4096, sha512);
    await hi('c', salt, 4096, sha512); // evicts 'a'
    await hi('a', salt, 4096, sha512);
    expect(calls).toBe(4);
  });

  it("patches kafkajs 2.2.4's SCRAM.hi, which then still derives what PBKDF2 does", async () => {
    expect(fixKafkajsScramDerivation()).toBe(true);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SCRAM } = require('kafkajs/src/broker/saslAuthenticator/scram') as {
      SCRAM: { hi(p: string, s: Buffer, i: number, d: typeof sha512): Promise<Buffer> };
    };
    const salt = Buffer.from('kafkajs-salt');
    expect(await SCRAM.hi('secret', salt, 4096, sha512)).toEqual(
      pbkdf2Sync('secret', salt, 4096, 64, 'sha512'),
    );
  });
});
