import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Keyring } from './keyring';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretBoxError';
  }
}

/**
 * Authenticated encryption of small JSON values (connection secrets, webhook
 * signing secrets, the vault) with AES-256-GCM and a fresh random IV per value,
 * stored as `v2:<key id>:<iv b64>:<tag b64>:<ciphertext b64>`. The key id names
 * the keyring key that sealed it, so the active key can be rotated while older
 * values still open (and are re-sealed by a job). `v1:<iv>:<tag>:<ct>` values,
 * sealed before keys had ids, open with the keyring's legacy key. The optional
 * context is bound as associated data, so a ciphertext copied onto another row
 * does not open.
 */
export class SecretBox {
  constructor(readonly keyring: Keyring) {}

  seal(value: unknown, context = ''): string {
    const id = this.keyring.activeId;
    const key = this.keyring.key(id)!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([
      cipher.update(JSON.stringify(value), 'utf8'),
      cipher.final(),
    ]);
    return [
      'v2',
      id,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      ciphertext.toString('base64'),
    ].join(':');
  }

  open(sealed: string, context = ''): unknown {
    const parts = sealed.split(':');
    let key: Buffer | undefined;
    let rest: string[];
    if (parts[0] === 'v2' && parts.length === 5) {
      key = this.keyring.key(parts[1]);
      if (!key)
        throw new SecretBoxError(`sealed with key '${parts[1].slice(0, 40)}', not in the keyring`);
      rest = parts.slice(2);
    } else if (parts[0] === 'v1' && parts.length === 4) {
      key = this.keyring.legacy;
      if (!key) throw new SecretBoxError('a v1 sealed value, and no legacy key to open it');
      rest = parts.slice(1);
    } else {
      throw new SecretBoxError('not a sealed value');
    }
    const [ivText, tagText, ciphertextText] = rest;
    const iv = Buffer.from(ivText, 'base64');
    const tag = Buffer.from(tagText, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES)
      throw new SecretBoxError('malformed sealed value');
    const decipher = createDecipheriv(ALGORITHM, key, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(tag);
    let plaintext: Buffer;
    try {
      plaintext = Buffer.concat([
        decipher.update(Buffer.from(ciphertextText, 'base64')),
        decipher.final(),
      ]);
    } catch {
      // One message for both: which of the two it was is no business of the caller.
      throw new SecretBoxError('sealed value does not open: wrong key or tampered data');
    }
    return JSON.parse(plaintext.toString('utf8')) as unknown;
  }

  /** The id of the key that sealed `sealed`: `v1` for a value from before key ids. */
  static keyIdOf(sealed: string): string | undefined {
    const parts = sealed.split(':');
    if (parts[0] === 'v2' && parts.length === 5) return parts[1];
    if (parts[0] === 'v1' && parts.length === 4) return 'v1';
    return undefined;
  }

  /** True when `sealed` is sealed with the active key (nothing for the re-seal job to do). */
  isCurrent(sealed: string): boolean {
    return sealed.startsWith(this.currentPrefix);
  }

  /** What every value sealed with the active key starts with. */
  get currentPrefix(): string {
    return `v2:${this.keyring.activeId}:`;
  }

  /** The value sealed again with the active key, for the same context. */
  reseal(sealed: string, context = ''): string {
    return this.seal(this.open(sealed, context), context);
  }
}
