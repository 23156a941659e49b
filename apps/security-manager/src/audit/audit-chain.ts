import canonicalize from 'canonicalize';
import { createHash } from 'node:crypto';

/** The `prev_hash` of a workspace's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * What an audit record says, in every form it takes (as written, as chained,
 * as read back): who did what to which resource, and how it went.
 */
export interface AuditFacts {
  source: string;
  actor: string;
  credential: string | null;
  action: string;
  resource: string;
  outcome: string;
  details: Record<string, unknown>;
}

/**
 * Exactly what a record's hash covers: every stored field but the hashes
 * themselves (and the time it was received, which is ours, not the writer's).
 */
export interface ChainedFields extends AuditFacts {
  id: string;
  workspace_id: string;
  seq: number;
  correlation_id: string;
  /** ISO 8601 with milliseconds, as Postgres gives it back. */
  time: string;
}

/**
 * `sha256(prev_hash || canonical JSON of the record)`, hex. The JSON is RFC
 * 8785's canonical form (sorted keys, one number format), so the hash does not
 * depend on how Postgres' jsonb happens to order an object's keys.
 */
export function chainHash(prevHash: string, record: ChainedFields): string {
  return createHash('sha256')
    .update(prevHash)
    .update(canonicalize(record) ?? '')
    .digest('hex');
}

export interface StoredLink extends ChainedFields {
  prev_hash: string;
  hash: string;
}

export type BrokenLink = { seq: number; id: string | null; reason: string };

/**
 * Walks a workspace's records in seq order from `from` (the previous record's
 * seq and hash) and answers the first link that does not hold, or undefined.
 */
export function firstBrokenLink(
  links: StoredLink[],
  from: { seq: number; hash: string },
): { broken?: BrokenLink; last: { seq: number; hash: string } } {
  let last = from;
  for (const link of links) {
    const expectedSeq = last.seq + 1;
    if (link.seq !== expectedSeq) {
      return {
        broken: {
          seq: expectedSeq,
          id: null,
          reason: `record ${expectedSeq} is missing (the next is ${link.seq})`,
        },
        last,
      };
    }
    if (link.prev_hash !== last.hash) {
      return {
        broken: {
          seq: link.seq,
          id: link.id,
          reason: "prev_hash is not the previous record's hash",
        },
        last,
      };
    }
    const { prev_hash: _prev, hash: _hash, ...fields } = link;
    if (chainHash(last.hash, fields) !== link.hash) {
      return {
        broken: { seq: link.seq, id: link.id, reason: 'the record does not match its hash' },
        last,
      };
    }
    last = { seq: link.seq, hash: link.hash };
  }
  return { last };
}
