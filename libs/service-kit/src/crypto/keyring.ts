import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const KEY_BYTES = 32;
/** A key id: short, and safe inside `v2:<id>:...` and a Postgres prefix match. */
export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
/** The id the single legacy key (BATON_ENCRYPTION_KEY) has inside the ring. */
export const LEGACY_KEY_ID = 'legacy';

export class KeyringError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KeyringError';
  }
}

export interface KeyringKey {
  id: string;
  key: Buffer;
}

/**
 * The encryption keys of a service, each with an id. The first is active:
 * every new value is sealed with it. The others only open values sealed
 * before a rotation, until the re-seal job has moved those to the active key.
 * `legacy`, when set, opens `v1:` values (sealed before keys had ids).
 */
export class Keyring {
  private readonly byId = new Map<string, Buffer>();

  constructor(
    keys: readonly KeyringKey[],
    readonly legacy?: Buffer,
  ) {
    if (keys.length === 0) throw new KeyringError('the keyring has no key');
    for (const { id, key } of keys) {
      if (!KEY_ID_PATTERN.test(id)) {
        throw new KeyringError(`key id '${id.slice(0, 40)}' must match ${KEY_ID_PATTERN.source}`);
      }
      if (key.length !== KEY_BYTES) {
        throw new KeyringError(`key '${id}' must be ${KEY_BYTES} bytes`);
      }
      const same = this.byId.get(id);
      if (same && !same.equals(key)) throw new KeyringError(`key id '${id}' appears twice`);
      this.byId.set(id, key);
    }
    if (legacy && legacy.length !== KEY_BYTES) {
      throw new KeyringError(`the legacy key must be ${KEY_BYTES} bytes`);
    }
    this.activeId = keys[0].id;
  }

  /** The id new values are sealed with. */
  readonly activeId: string;

  get ids(): string[] {
    return [...this.byId.keys()];
  }

  /** Ids that still open values but seal none: what the re-seal job moves away from. */
  get retiringIds(): string[] {
    return this.ids.filter((id) => id !== this.activeId);
  }

  key(id: string): Buffer | undefined {
    return this.byId.get(id);
  }

  /** A fresh ring with one random key, for tests. */
  static random(id = 'k1'): Keyring {
    return new Keyring([{ id, key: randomBytes(KEY_BYTES) }]);
  }
}

/** `id:base64` pairs separated by commas or new lines; `#` starts a comment line. */
export function parseKeyList(text: string): KeyringKey[] {
  const items = text
    .split(/\r?\n/)
    .filter((line) => !line.trim().startsWith('#'))
    .join(',')
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');
  if (items.length === 0) throw new KeyringError('lists no key');
  return items.map((item, index) => {
    const colon = item.indexOf(':');
    const id = colon > 0 ? item.slice(0, colon) : '';
    const encoded = colon > 0 ? item.slice(colon + 1) : '';
    if (!KEY_ID_PATTERN.test(id)) {
      // The position, never the text: it may be a key.
      throw new KeyringError(`entry ${index + 1} must be <id>:<base64 of 32 bytes>`);
    }
    if (!/^[A-Za-z0-9+/]{43}=$/.test(encoded)) {
      throw new KeyringError(`key '${id}' must be the base64 of 32 bytes`);
    }
    return { id, key: Buffer.from(encoded, 'base64') };
  });
}

/** Whether BATON_ENCRYPTION_KEYS holds the keys themselves rather than the path of a file. */
function isInlineKeyList(value: string): boolean {
  return /^\s*[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/]{43}=\s*(,|$)/.test(value);
}

/**
 * A new keyring file with one random key, readable by its owner only. Several
 * processes may race to create it: the first one wins, the rest read its keys.
 */
export function ensureKeyringFile(file: string): void {
  if (fs.existsSync(file)) return;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const id = `local-${new Date().toISOString().slice(0, 10).replace(/-/g, '')}`;
  const text =
    '# Baton local encryption keys: <id>:<base64 of 32 bytes>, the first one is active.\n' +
    `${id}:${randomBytes(KEY_BYTES).toString('base64')}\n`;
  try {
    fs.writeFileSync(file, text, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
}

/**
 * Read only to open `v1:` values a development machine sealed before keyrings
 * existed (when no key was configured). It never seals anything, and
 * production never uses it.
 */
function oldDevelopmentKey(): Buffer {
  return createHash('sha256').update('baton-development-encryption-key').digest();
}

export interface KeyringSettings {
  /** BATON_ENCRYPTION_KEYS: `id:base64,...` or the path of a file holding them. */
  keys?: string;
  /** BATON_ENCRYPTION_KEY: the single key of earlier versions (opens `v1:` values). */
  legacyKey?: string;
  nodeEnv?: string;
  /** Where a development machine keeps its generated keyring when nothing is configured. */
  localFile: string;
}

export type KeyringResult =
  | {
      ok: true;
      keyring: Keyring;
      source: 'configured' | 'file' | 'legacy-only' | 'local';
      /** Where the keys came from, for the start-up log (a path, never a key). */
      origin?: string;
    }
  | { ok: false; variable: string; reason: string };

/**
 * The keyring a service seals with:
 * - BATON_ENCRYPTION_KEYS (inline, or a file path): those keys, the first active;
 *   BATON_ENCRYPTION_KEY, when also set, joins the ring as `legacy` and opens v1 values.
 * - Only BATON_ENCRYPTION_KEY: a ring of that key alone, id `legacy` (earlier deployments
 *   keep working unchanged; rotate by adding BATON_ENCRYPTION_KEYS).
 * - Neither, in production: refused.
 * - Neither, elsewhere: the local keyring file (created on first use, 0600).
 * Outside production, with no BATON_ENCRYPTION_KEY, the old fixed development key
 * opens `v1:` values a development database holds from before (never seals).
 */
export function resolveKeyring(settings: KeyringSettings): KeyringResult {
  let legacy: Buffer | undefined;
  if (settings.legacyKey) {
    legacy = Buffer.from(settings.legacyKey, 'base64');
    if (legacy.length !== KEY_BYTES || !/^[A-Za-z0-9+/]{43}=$/.test(settings.legacyKey)) {
      return {
        ok: false,
        variable: 'BATON_ENCRYPTION_KEY',
        reason: 'must be the base64 of 32 bytes (e.g. `openssl rand -base64 32`)',
      };
    }
  }
  const production = settings.nodeEnv === 'production';
  try {
    if (settings.keys) {
      const inline = isInlineKeyList(settings.keys);
      let text = settings.keys;
      if (!inline) {
        try {
          text = fs.readFileSync(settings.keys, 'utf8');
        } catch (error) {
          return {
            ok: false,
            variable: 'BATON_ENCRYPTION_KEYS',
            reason: `is neither a list of <id>:<base64 key> nor a readable file (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
          };
        }
      }
      const keys = parseKeyList(text);
      if (legacy) keys.push({ id: LEGACY_KEY_ID, key: legacy });
      return {
        ok: true,
        keyring: new Keyring(keys, legacy ?? (production ? undefined : oldDevelopmentKey())),
        source: inline ? 'configured' : 'file',
        origin: inline ? undefined : settings.keys,
      };
    }
    if (legacy) {
      return {
        ok: true,
        keyring: new Keyring([{ id: LEGACY_KEY_ID, key: legacy }], legacy),
        source: 'legacy-only',
      };
    }
    if (production) {
      return {
        ok: false,
        variable: 'BATON_ENCRYPTION_KEYS',
        reason:
          'is required in production: <id>:<base64 of 32 bytes>[,...] or a file of them (e.g. `echo "k1:$(openssl rand -base64 32)"`)',
      };
    }
    ensureKeyringFile(settings.localFile);
    const keys = parseKeyList(fs.readFileSync(settings.localFile, 'utf8'));
    return {
      ok: true,
      keyring: new Keyring(keys, oldDevelopmentKey()),
      source: 'local',
      origin: settings.localFile,
    };
  } catch (error) {
    if (!(error instanceof KeyringError)) throw error;
    return { ok: false, variable: 'BATON_ENCRYPTION_KEYS', reason: error.message };
  }
}
