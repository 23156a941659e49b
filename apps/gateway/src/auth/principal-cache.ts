import type { PrincipalView } from '@baton/contracts';

/**
 * Verified keys, by their SHA-256, for a short time: most requests then need
 * no round trip to security-manager. The key itself is never kept.
 */
export class PrincipalCache {
  private readonly entries = new Map<string, { principal: PrincipalView; expiresAt: number }>();

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
    if (this.entries.size >= this.maxEntries)
      this.entries.delete(this.entries.keys().next().value as string);
    this.entries.set(keyHash, { principal, expiresAt: now + this.ttlMs });
  }
}
