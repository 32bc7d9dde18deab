// Recognised credentials, kept for a few seconds so that a tool or console polling the API does
// not cost two SQL lookups per request. Anything that may revoke a credential on this
// controller (logout, password change, role change, account or token deletion) clears the whole
// cache at once; a change made through another controller on the same database is seen within
// the time to live.
import type { Identity } from './identity.js';

export const identityCacheTtlMs = 5_000;
export const identityCacheMaxEntries = 10_000;

interface Entry {
  readonly identity: Identity;
  readonly untilMs: number;
}

export class IdentityCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped by clear(): a lookup that began before a revocation must not store what it read. */
  private generationValue = 0;

  constructor(
    private readonly ttlMs = identityCacheTtlMs,
    private readonly maxEntries = identityCacheMaxEntries,
    private readonly nowMs: () => number = () => Date.now(),
  ) {}

  get generation(): number {
    return this.generationValue;
  }

  /** The identity behind a credential digest, if recognised recently and not expired since. */
  get(digest: string): Identity | undefined {
    const entry = this.entries.get(digest);
    if (entry === undefined) return undefined;
    if (this.nowMs() >= entry.untilMs) {
      this.entries.delete(digest);
      return undefined;
    }
    return entry.identity;
  }

  /** Keeps an identity looked up under `generation`; dropped if a revocation happened meanwhile. */
  set(digest: string, identity: Identity, generation: number): void {
    if (generation !== this.generationValue) return;
    const now = this.nowMs();
    const untilMs = Math.min(now + this.ttlMs, identity.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY);
    if (untilMs <= now) return;
    // Bounded: when full, the oldest entry (Map keeps insertion order) makes room.
    if (this.entries.size >= this.maxEntries && !this.entries.has(digest)) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    this.entries.set(digest, { identity, untilMs });
  }

  clear(): void {
    this.entries.clear();
    this.generationValue += 1;
  }

  get size(): number {
    return this.entries.size;
  }
}
