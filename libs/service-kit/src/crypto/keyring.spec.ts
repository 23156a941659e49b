import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Keyring, KeyringError, parseKeyList, resolveKeyring } from './keyring';

const b64 = () => randomBytes(32).toString('base64');
const developmentKey = createHash('sha256').update('baton-development-encryption-key').digest();

describe('parseKeyList', () => {
  it('reads id:base64 pairs, commas or lines, first one first', () => {
    const [a, b] = [b64(), b64()];
    const keys = parseKeyList(`# comment\nk2:${a}\n\nk1:${b}`);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[0].key.equals(Buffer.from(a, 'base64'))).toBe(true);
    expect(parseKeyList(`k2:${a}, k1:${b}`).map((k) => k.id)).toEqual(['k2', 'k1']);
  });

  it('names the entry, never its text, when one is wrong', () => {
    const secret = randomBytes(16).toString('base64');
    expect(() => parseKeyList(`k1:${b64()},k2:${secret}`)).toThrow(
      "key 'k2' must be the base64 of 32 bytes",
    );
    try {
      parseKeyList(`bad id:${secret}`);
    } catch (error) {
      expect((error as Error).message).toBe('entry 1 must be <id>:<base64 of 32 bytes>');
      expect((error as Error).message).not.toContain(secret);
    }
    expect(() => parseKeyList('# nothing\n')).toThrow('lists no key');
  });
});

describe('Keyring', () => {
  it('the first key is active, the others retiring', () => {
    const ring = new Keyring([
      { id: 'b', key: randomBytes(32) },
      { id: 'a', key: randomBytes(32) },
    ]);
    expect(ring.activeId).toBe('b');
    expect(ring.retiringIds).toEqual(['a']);
  });

  it('refuses two different keys with one id, and keys of the wrong size', () => {
    expect(
      () =>
        new Keyring([
          { id: 'a', key: randomBytes(32) },
          { id: 'a', key: randomBytes(32) },
        ]),
    ).toThrow(KeyringError);
    expect(() => new Keyring([{ id: 'a', key: randomBytes(16) }])).toThrow('32 bytes');
    expect(() => new Keyring([])).toThrow('no key');
  });
});

describe('resolveKeyring', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-keyring-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const localFile = () => path.join(dir, '.cache', 'encryption-keys');

  it('takes an inline list; the legacy key joins it to open v1 values', () => {
    const legacy = b64();
    const result = resolveKeyring({
      keys: `new:${b64()},old:${b64()}`,
      legacyKey: legacy,
      nodeEnv: 'production',
      localFile: localFile(),
    });
    expect(result.ok && result.source).toBe('configured');
    if (!result.ok) return;
    expect(result.keyring.activeId).toBe('new');
    expect(result.keyring.ids).toEqual(['new', 'old', 'legacy']);
    expect(result.keyring.legacy?.equals(Buffer.from(legacy, 'base64'))).toBe(true);
  });

  it('reads a file of keys', () => {
    const file = path.join(dir, 'keys');
    fs.writeFileSync(file, `k9:${b64()}\n`);
    const result = resolveKeyring({ keys: file, nodeEnv: 'production', localFile: localFile() });
    expect(result.ok && result.keyring.activeId).toBe('k9');
    // Production has no development key to open v1 values with.
    expect(result.ok && result.keyring.legacy).toBeUndefined();
  });

  it('says what is wrong with an unreadable file, without its contents', () => {
    const result = resolveKeyring({
      keys: path.join(dir, 'missing'),
      nodeEnv: 'production',
      localFile: localFile(),
    });
    expect(result).toMatchObject({ ok: false, variable: 'BATON_ENCRYPTION_KEYS' });
  });

  it('keeps a deployment with only BATON_ENCRYPTION_KEY working: that key, id legacy', () => {
    const legacy = b64();
    const result = resolveKeyring({ legacyKey: legacy, nodeEnv: 'production', localFile: '' });
    expect(result.ok && result.source).toBe('legacy-only');
    expect(result.ok && result.keyring.activeId).toBe('legacy');
  });

  it('rejects a legacy key of the wrong size', () => {
    expect(
      resolveKeyring({ legacyKey: randomBytes(16).toString('base64'), localFile: '' }),
    ).toMatchObject({ ok: false, variable: 'BATON_ENCRYPTION_KEY' });
  });

  it('refuses production without a keyring', () => {
    expect(resolveKeyring({ nodeEnv: 'production', localFile: localFile() })).toMatchObject({
      ok: false,
      variable: 'BATON_ENCRYPTION_KEYS',
    });
    expect(fs.existsSync(localFile())).toBe(false);
  });

  it('outside production generates a local keyring once (0600) and reuses it', () => {
    const first = resolveKeyring({ nodeEnv: 'development', localFile: localFile() });
    const second = resolveKeyring({ localFile: localFile() });
    expect(first.ok && first.source).toBe('local');
    expect(fs.statSync(localFile()).mode & 0o777).toBe(0o600);
    if (!first.ok || !second.ok) throw new Error('no keyring');
    expect(second.keyring.activeId).toBe(first.keyring.activeId);
    expect(
      second.keyring
        .key(second.keyring.activeId)
        ?.equals(first.keyring.key(first.keyring.activeId)!),
    ).toBe(true);
    // The old fixed development key only opens v1 values; it is never the active key.
    expect(first.keyring.legacy?.equals(developmentKey)).toBe(true);
    expect(first.keyring.ids).toEqual([first.keyring.activeId]);
  });
});
