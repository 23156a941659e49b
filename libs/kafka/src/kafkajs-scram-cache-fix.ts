import { createHash } from 'node:crypto';

/**
 * kafkajs 2.2.4 derives SCRAM's SaltedPassword (PBKDF2, 4,096 or more
 * iterations of HMAC-SHA-512) twice on every SASL handshake, once for the
 * client key and once for the server key, and every kafkajs client (each
 * consumer, producer and admin) opens connections of its own. A Baton service
 * holds a few dozen; after a restart or a broker outage all of them
 * authenticate at once, and each derivation queues on libuv's four-thread
 * pool with the rest of the process's file and crypto work. On a loaded
 * 2-core machine one derivation took 34 ms in a burst (200 in 6.9 s), and
 * recovery under SASL took four times longer than without it.
 *
 * The result depends only on the password, the user's salt and the iteration
 * count, which the broker sends in each handshake and keeps until the
 * credential changes; RFC 5802 (section 5.1) lets a client cache it. This
 * keeps each derivation in memory, keyed by a hash of those four inputs, so a
 * process derives once per credential. A rotated password or a new salt is a
 * new key: nothing stale is ever used. The cached value is as sensitive as
 * the password the process already holds, and never leaves it.
 */

type Digest = { type: string; length: number };
type Hi = (password: string, salt: Buffer, iterations: number, digest: Digest) => Promise<Buffer>;

/** The versions whose SCRAM class has `static hi(password, salt, iterations, digest)`. */
const PATCHED_VERSIONS = new Set(['2.2.4']);

/** Few credentials per process (its own; a test may hold a handful). */
const MAX_ENTRIES = 32;

/** Wraps `hi` so that equal inputs share one derivation (a failed one is not kept). */
export function cachedHi(hi: Hi, maxEntries = MAX_ENTRIES): Hi {
  const cache = new Map<string, Promise<Buffer>>();
  return (password, salt, iterations, digest) => {
    const key = createHash('sha256')
      .update(`${digest.type}\0${iterations}\0${salt.toString('base64')}\0`)
      .update(password)
      .digest('base64');
    const hit = cache.get(key);
    if (hit) return hit;
    const derived = hi(password, salt, iterations, digest);
    derived.catch(() => cache.delete(key));
    if (cache.size >= maxEntries) cache.delete(cache.keys().next().value as string);
    cache.set(key, derived);
    return derived;
  };
}

let applied = false;

/** Replaces kafkajs' SCRAM.hi once per process; another kafkajs version is left untouched. */
export function fixKafkajsScramDerivation(): boolean {
  if (applied) return true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { version } = require('kafkajs/package.json') as { version: string };
  if (!PATCHED_VERSIONS.has(version)) return false;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { SCRAM } = require('kafkajs/src/broker/saslAuthenticator/scram') as {
    SCRAM: { hi: Hi };
  };
  SCRAM.hi = cachedHi(SCRAM.hi.bind(SCRAM));
  applied = true;
  return true;
}
