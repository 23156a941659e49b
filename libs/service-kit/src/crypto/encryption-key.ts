import { IsOptional, Matches } from 'class-validator';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { DatabaseEnv, exitWithConfigError } from '../env';

/** Settings of a service that keeps secrets in its database, encrypted (SecretBox). */
export class EncryptedDatabaseEnv extends DatabaseEnv {
  /** Encrypts secrets at rest; required when NODE_ENV=production. */
  @IsOptional()
  @Matches(/^[A-Za-z0-9+/]{43}=$/, {
    message: 'BATON_ENCRYPTION_KEY must be the base64 of 32 bytes (e.g. `openssl rand -base64 32`)',
  })
  BATON_ENCRYPTION_KEY?: string;
}

export type EncryptionKey =
  { ok: true; key: Buffer; source: 'configured' | 'development' } | { ok: false; reason: string };

/**
 * The key that encrypts secrets at rest (connection credentials, webhook
 * signing secrets). Without BATON_ENCRYPTION_KEY a
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

/** The key for a service's main.ts: a bad or missing production key stops it with one line. */
export function encryptionKeyOrExit(
  service: string,
  env: EncryptedDatabaseEnv,
  logger: Logger,
): Buffer {
  const encryption = resolveEncryptionKey(env.BATON_ENCRYPTION_KEY, process.env.NODE_ENV);
  if (!encryption.ok) exitWithConfigError(service, 'BATON_ENCRYPTION_KEY', encryption.reason);
  if (encryption.source === 'development') {
    logger.warn(
      'BATON_ENCRYPTION_KEY is not set: secrets are encrypted with a fixed development key; set it in production',
    );
  }
  return encryption.key;
}
