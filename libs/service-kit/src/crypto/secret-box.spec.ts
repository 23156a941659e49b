import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { Keyring } from './keyring';
import { SecretBox, SecretBoxError } from './secret-box';

/** A value as the v1 SecretBox (one key, no key id) sealed it. */
function sealV1(key: Buffer, value: unknown, context = ''): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(context, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((p) => p.toString('base64')).join(':');
}

describe('SecretBox', () => {
  const box = new SecretBox(Keyring.random('k1'));
  const secrets = { signing_secret: 'whsec_0123456789', token: 'ünïcode ✓' };

  it('round-trips a JSON value and names the key that sealed it', () => {
    const sealed = box.seal(secrets);
    expect(sealed).toMatch(/^v2:k1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(SecretBox.keyIdOf(sealed)).toBe('k1');
    expect(box.isCurrent(sealed)).toBe(true);
    expect(box.open(sealed)).toEqual(secrets);
  });

  it('never shows the plaintext and uses a fresh IV every time', () => {
    const a = box.seal(secrets);
    const b = box.seal(secrets);
    expect(a).not.toBe(b);
    expect(a.split(':')[2]).not.toBe(b.split(':')[2]);
    expect(Buffer.from(a.split(':')[4], 'base64').toString('utf8')).not.toContain('whsec');
  });

  it('detects a tampered ciphertext, tag or IV', () => {
    const [version, id, iv, tag, ciphertext] = box.seal(secrets).split(':');
    const flip = (text: string, at: number) => {
      const bytes = Buffer.from(text, 'base64');
      bytes[at] ^= 0x01;
      return bytes.toString('base64');
    };
    for (const parts of [
      [version, id, iv, tag, flip(ciphertext, 0)],
      [version, id, iv, flip(tag, 3), ciphertext],
      [version, id, flip(iv, 0), tag, ciphertext],
    ]) {
      expect(() => box.open(parts.join(':'))).toThrow(SecretBoxError);
    }
  });

  it('does not open with a different key of the same id', () => {
    const sealed = box.seal(secrets);
    expect(() => new SecretBox(Keyring.random('k1')).open(sealed)).toThrow(
      'wrong key or tampered data',
    );
  });

  it('says when the key that sealed a value is not in the ring', () => {
    const sealed = box.seal(secrets);
    expect(() => new SecretBox(Keyring.random('k2')).open(sealed)).toThrow(
      "sealed with key 'k1', not in the keyring",
    );
  });

  it('binds the context: a value sealed for one row does not open for another', () => {
    const sealed = box.seal(secrets, 'acme/crm');
    expect(box.open(sealed, 'acme/crm')).toEqual(secrets);
    expect(() => box.open(sealed, 'other/crm')).toThrow(SecretBoxError);
  });

  it('rejects malformed values', () => {
    expect(() => box.open('v3:a:b:c')).toThrow('not a sealed value');
    expect(() => box.open('v2:k1:AAAA:AAAA:AAAA')).toThrow('malformed sealed value');
    expect(() => box.open('plain text')).toThrow('not a sealed value');
  });
});

describe('SecretBox: v1 values and rotation', () => {
  const legacy = randomBytes(32);
  const oldKey = { id: 'old', key: randomBytes(32) };
  const newKey = { id: 'new', key: randomBytes(32) };

  it('opens v1 values with the legacy key, and reseals them to the active key', () => {
    const box = new SecretBox(new Keyring([newKey], legacy));
    const v1 = sealV1(legacy, { token: 't' }, 'acme/crm');
    expect(SecretBox.keyIdOf(v1)).toBe('v1');
    expect(box.isCurrent(v1)).toBe(false);
    expect(box.open(v1, 'acme/crm')).toEqual({ token: 't' });
    const resealed = box.reseal(v1, 'acme/crm');
    expect(resealed).toMatch(/^v2:new:/);
    expect(box.open(resealed, 'acme/crm')).toEqual({ token: 't' });
    expect(() => box.reseal(v1, 'other/crm')).toThrow(SecretBoxError);
  });

  it('refuses a v1 value when there is no legacy key', () => {
    const box = new SecretBox(new Keyring([newKey]));
    expect(() => box.open(sealV1(legacy, 'x'))).toThrow('no legacy key');
  });

  it('opens values of a retiring key after rotation, and seals only with the active one', () => {
    const before = new SecretBox(new Keyring([oldKey]));
    const sealed = before.seal('s3cret', 'ws/name');
    const after = new SecretBox(new Keyring([newKey, oldKey]));
    expect(after.keyring.retiringIds).toEqual(['old']);
    expect(after.open(sealed, 'ws/name')).toBe('s3cret');
    expect(after.isCurrent(sealed)).toBe(false);
    const moved = after.reseal(sealed, 'ws/name');
    expect(SecretBox.keyIdOf(moved)).toBe('new');
    // Once the old key is retired, the moved value still opens; the old one does not.
    const retired = new SecretBox(new Keyring([newKey]));
    expect(retired.open(moved, 'ws/name')).toBe('s3cret');
    expect(() => retired.open(sealed, 'ws/name')).toThrow("key 'old', not in the keyring");
  });

  it('opens the development data of earlier versions outside production only', () => {
    // What v1 sealed with when BATON_ENCRYPTION_KEY was unset.
    const developmentKey = createHash('sha256').update('baton-development-encryption-key').digest();
    const v1 = sealV1(developmentKey, 'dev secret');
    expect(new SecretBox(new Keyring([newKey], developmentKey)).open(v1)).toBe('dev secret');
  });
});
