import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import * as path from 'node:path';
import type { Logger } from 'pino';
import { DatabaseEnv, exitWithConfigError } from '../env';
import { resolveKeyring, type Keyring } from './keyring';

/** Where a development machine keeps the keyring it generated (git-ignored). */
export const LOCAL_KEYRING_FILE = path.join('.cache', 'encryption-keys');

/** Settings of a service that keeps secrets in its database or opens them: the keyring. */
export class EncryptedDatabaseEnv extends DatabaseEnv {
  /**
   * The keyring: `<id>:<base64 of 32 bytes>` entries separated by commas, or
   * the path of a file holding them (one a line). The first is active; the
   * others only open older values. Required when NODE_ENV=production (unless
   * the legacy BATON_ENCRYPTION_KEY is set). Checked by keyringOrExit, which
   * never echoes it.
   */
  @IsOptional()
  @IsString()
  BATON_ENCRYPTION_KEYS?: string;

  /** The single key of earlier versions: opens `v1:` values, and seals when no keyring is set. */
  @IsOptional()
  @IsString()
  BATON_ENCRYPTION_KEY?: string;

  /** How often values sealed with a non-active key are re-sealed with the active one. */
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  BATON_RESEAL_INTERVAL_MS: number = 60_000;

  /** Values re-sealed per table and round: small, so a rotation never holds long locks. */
  @IsInt()
  @Min(1)
  @Max(10_000)
  BATON_RESEAL_BATCH_SIZE: number = 100;
}

/**
 * The keyring for a service's main.ts: a bad keyring, or none in production,
 * stops it with one line naming the variable (never a key).
 */
export function keyringOrExit(
  service: string,
  env: Pick<EncryptedDatabaseEnv, 'BATON_ENCRYPTION_KEYS' | 'BATON_ENCRYPTION_KEY'>,
  logger: Logger,
): Keyring {
  const result = resolveKeyring({
    keys: env.BATON_ENCRYPTION_KEYS,
    legacyKey: env.BATON_ENCRYPTION_KEY,
    nodeEnv: process.env.NODE_ENV,
    localFile: path.resolve(LOCAL_KEYRING_FILE),
  });
  if (!result.ok) exitWithConfigError(service, result.variable, result.reason);
  const { keyring } = result;
  const fields = {
    active_key_id: keyring.activeId,
    key_ids: keyring.ids,
    opens_v1: keyring.legacy !== undefined,
    ...(result.origin ? { file: result.origin } : {}),
  };
  if (result.source === 'local') {
    logger.warn(
      fields,
      'BATON_ENCRYPTION_KEYS is not set: secrets are sealed with the local keyring this machine generated; set it in production',
    );
  } else {
    logger.info(fields, 'encryption keyring loaded');
  }
  return keyring;
}
