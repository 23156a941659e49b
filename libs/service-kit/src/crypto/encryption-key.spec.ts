import { randomBytes } from 'node:crypto';
import { resolveEncryptionKey } from './encryption-key';

describe('resolveEncryptionKey', () => {
  it('uses the configured key', () => {
    const key = randomBytes(32);
    expect(resolveEncryptionKey(key.toString('base64'), 'production')).toEqual({
      ok: true,
      key,
      source: 'configured',
    });
  });

  it('rejects a key of the wrong size', () => {
    expect(resolveEncryptionKey(randomBytes(16).toString('base64'), undefined)).toMatchObject({
      ok: false,
    });
  });

  it('derives the same development key every time outside production', () => {
    const a = resolveEncryptionKey(undefined, 'development');
    const b = resolveEncryptionKey(undefined, undefined);
    expect(a).toMatchObject({ ok: true, source: 'development' });
    expect(a.ok && b.ok && a.key.equals(b.key)).toBe(true);
  });

  it('refuses to run production without a key', () => {
    expect(resolveEncryptionKey(undefined, 'production')).toMatchObject({ ok: false });
  });
});
