import { randomBytes } from 'node:crypto';
import { SecretBox, SecretBoxError } from './secret-box';

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));
  const secrets = { signing_secret: 'whsec_0123456789', token: 'ünïcode ✓' };

  it('round-trips a JSON value', () => {
    const sealed = box.seal(secrets);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(box.open(sealed)).toEqual(secrets);
  });

  it('never shows the plaintext and uses a fresh IV every time', () => {
    const a = box.seal(secrets);
    const b = box.seal(secrets);
    expect(a).not.toBe(b);
    expect(a.split(':')[1]).not.toBe(b.split(':')[1]);
    expect(Buffer.from(a.split(':')[3], 'base64').toString('utf8')).not.toContain('whsec');
  });

  it('detects a tampered ciphertext', () => {
    const [version, iv, tag, ciphertext] = box.seal(secrets).split(':');
    const bytes = Buffer.from(ciphertext, 'base64');
    bytes[0] ^= 0x01;
    expect(() => box.open([version, iv, tag, bytes.toString('base64')].join(':'))).toThrow(
      SecretBoxError,
    );
  });

  it('detects a tampered tag or IV', () => {
    const [version, iv, tag, ciphertext] = box.seal(secrets).split(':');
    const otherTag = Buffer.from(tag, 'base64');
    otherTag[3] ^= 0x80;
    expect(() =>
      box.open([version, iv, otherTag.toString('base64'), ciphertext].join(':')),
    ).toThrow(SecretBoxError);
    const otherIv = Buffer.from(iv, 'base64');
    otherIv[0] ^= 0x01;
    expect(() =>
      box.open([version, otherIv.toString('base64'), tag, ciphertext].join(':')),
    ).toThrow(SecretBoxError);
  });

  it('does not open with a wrong key', () => {
    const sealed = box.seal(secrets);
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow('wrong key or tampered data');
  });

  it('binds the context: a value sealed for one row does not open for another', () => {
    const sealed = box.seal(secrets, 'acme/crm');
    expect(box.open(sealed, 'acme/crm')).toEqual(secrets);
    expect(() => box.open(sealed, 'other/crm')).toThrow(SecretBoxError);
  });

  it('rejects malformed values and short keys', () => {
    expect(() => box.open('v2:a:b:c')).toThrow('not a v1 sealed value');
    expect(() => box.open('v1:AAAA:AAAA:AAAA')).toThrow('malformed sealed value');
    expect(() => new SecretBox(randomBytes(16))).toThrow('32 bytes');
  });
});
