import { createHash } from 'node:crypto';

export const KEY_PREFIX_LENGTH = 12;
export const LAST_USED_RESOLUTION_MS = 60_000;

/**
 * SHA-256 of the whole key, hex. Baton keys are 32 random bytes, so they cannot
 * be guessed from a fast hash: a slow password hash (bcrypt, argon2) would only
 * add latency to every authenticated request without adding safety.
 */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** What a key list shows so that a person can tell keys apart. */
export function keyPrefix(key: string): string {
  return key.slice(0, KEY_PREFIX_LENGTH);
}

/** `last_used_at` is kept to the minute: one write per key per minute, not per request. */
export function isLastUsedStale(lastUsedAt: Date | null, now: Date): boolean {
  return lastUsedAt === null || now.getTime() - lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS;
}
