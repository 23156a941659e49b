import { createHash } from 'node:crypto';

export type EncryptionKey =
  { ok: true; key: Buffer; source: 'configured' | 'development' } | { ok: false; reason: string };

/**
 * The key that encrypts connection secrets. Without BATON_ENCRYPTION_KEY a
 * development machine gets a fixed key (secrets survive restarts, and nobody
 * has to configure anything); production refuses to start instead.
 */
export function resolveEncryptionKey(
  configured: string | undefined,
  nodeEnv: string | undefined,
): EncryptionKey {
  if (configured) {
    const key = Buffer.from(configured, 'base64');
    if (key.length !== 32) return { ok: false, reason: 'must be the base64 of 32 bytes' };
    return { ok: true, key, source: 'configured' };
  }
  if (nodeEnv === 'production') {
    return { ok: false, reason: 'is required in production (e.g. `openssl rand -base64 32`)' };
  }
  return {
    ok: true,
    key: createHash('sha256').update('baton-development-encryption-key').digest(),
    source: 'development',
  };
}
