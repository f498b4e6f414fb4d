// Who a bearer key belongs to, with a short cache so that a busy API does not look the key up on every request.
import type { Database } from "../../db/client";
import { hashApiKey } from "./api-keys";
import { findUserByKeyHash, type AuthUser } from "./users";

export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { user: AuthUser; expiresAt: number }>();

  /**
   * @param ttlMs how long a known key is trusted without asking the database: a deactivated key or a changed role
   *   takes effect within this time in every process.
   */
  constructor(
    private readonly db: Database,
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 10_000,
  ) {}

  async authenticate(key: string): Promise<AuthUser | undefined> {
    const hash = hashApiKey(key);
    const cached = this.cache.get(hash);
    if (cached && cached.expiresAt > Date.now()) return cached.user;
    const user = await findUserByKeyHash(this.db, hash);
    // Only known keys are cached: guessing keys must not be able to fill the cache.
    if (!user) {
      this.cache.delete(hash);
      return undefined;
    }
    if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
    this.cache.set(hash, { user, expiresAt: Date.now() + this.ttlMs });
    return user;
  }
}
