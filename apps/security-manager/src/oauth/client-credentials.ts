import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Recognisable prefixes, so secret scanners can find a leaked secret. */
export const CLIENT_ID_PREFIX = 'bcl_';
export const CLIENT_SECRET_PREFIX = 'bcs_';

export function newClientId(): string {
  return `${CLIENT_ID_PREFIX}${randomBytes(12).toString('base64url')}`;
}

/** 32 random bytes: a fast digest is enough, no slow password hash is needed. */
export function newClientSecret(): string {
  return `${CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What the gateway sends and what is stored: SHA-256, lowercase hex. */
export function secretDigest(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
}
