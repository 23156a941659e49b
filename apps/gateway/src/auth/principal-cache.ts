import type { PrincipalView } from '@baton/contracts';

interface Entry {
  principal: PrincipalView;
  expiresAt: number;
}

/**
 * Verified keys, by their SHA-256, for a short time: most requests then need
 * no round trip to security-manager. The key itself is never kept. An entry
 * lives at most AUTH_CACHE_TTL_MS and never past the key's own expiry; a
 * revocation (RevocationListener) drops it at once.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(keyHash: string, now = Date.now()): PrincipalView | undefined {
    const entry = this.entries.get(keyHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now) {
      this.entries.delete(keyHash);
      return undefined;
    }
    return entry.principal;
  }

  set(keyHash: string, principal: PrincipalView, now = Date.now()): void {
    if (this.ttlMs === 0) return;
    const keyExpiry = principal.expires_at ? Date.parse(principal.expires_at) : Infinity;
    const expiresAt = Math.min(now + this.ttlMs, keyExpiry);
    if (!(expiresAt > now)) return;
    if (this.entries.size >= this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(keyHash, { principal, expiresAt });
  }

  /** Forgets the keys with these ids; answers how many entries went. */
  evictKeys(keyIds: readonly string[]): number {
    const ids = new Set(keyIds);
    return this.evictWhere((principal) => ids.has(principal.key_id));
  }

  /** Forgets every key of a workspace (it was deleted). */
  evictWorkspace(workspaceId: string): number {
    return this.evictWhere((principal) => principal.workspace_id === workspaceId);
  }

  /** Forgets everything: when revocations may have been missed. */
  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  private evictWhere(test: (principal: PrincipalView) => boolean): number {
    let evicted = 0;
    for (const [hash, entry] of this.entries) {
      if (test(entry.principal)) {
        this.entries.delete(hash);
        evicted++;
      }
    }
    return evicted;
  }
}
