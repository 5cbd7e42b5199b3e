import { LRUCache } from 'lru-cache';
import type { EntranceRef, Role } from '@campus/platform';
import type { DirectoryUser, EntranceResident } from '../domain/staff';
import type { UserDirectory } from '../services/ports';

export interface DirectoryCacheOptions {
  /** How long identity's answers are reused; 0 = ask every time. */
  ttlMs: number;
  /** Most users kept (the least recently used are dropped). */
  maxUsers: number;
}

/**
 * Identity's answers reused for a short while: every event asks who covers an entrance (the staff
 * of a role) and the names it mentions, and a burst of submissions asked identity the same thing
 * two or three times per event. Staff lists and names change rarely; the price is that a new
 * educator, a changed role or a renamed student reaches notifications up to `ttlMs` late.
 * Concurrent misses of one role share one call; failures and unknown ids are never cached.
 * An entrance's residents are not cached: they are asked once per roster (an entrance's month), and
 * who lives in which room must be current when the roster is announced.
 */
export class CachedUserDirectory implements UserDirectory {
  private readonly roles: LRUCache<Role, DirectoryUser[]> | null;
  private readonly users: LRUCache<string, DirectoryUser> | null;

  constructor(
    private readonly inner: UserDirectory,
    options: DirectoryCacheOptions,
  ) {
    const enabled = options.ttlMs > 0;
    this.roles = enabled
      ? new LRUCache<Role, DirectoryUser[]>({
          max: 32,
          ttl: options.ttlMs,
          fetchMethod: (role) => this.inner.usersWithRole(role),
        })
      : null;
    this.users = enabled ? new LRUCache<string, DirectoryUser>({ max: options.maxUsers, ttl: options.ttlMs }) : null;
  }

  async usersWithRole(role: Role): Promise<DirectoryUser[]> {
    if (!this.roles) return this.inner.usersWithRole(role);
    return (await this.roles.fetch(role)) ?? this.inner.usersWithRole(role);
  }

  async usersByIds(ids: string[]): Promise<DirectoryUser[]> {
    const users = this.users;
    if (!users) return this.inner.usersByIds(ids);
    const missing = [...new Set(ids.filter((id) => !users.has(id)))];
    if (missing.length) for (const user of await this.inner.usersByIds(missing)) users.set(user.id, user);
    return ids.flatMap((id) => {
      const user = users.get(id);
      return user ? [user] : [];
    });
  }

  residentsOf(entrance: EntranceRef): Promise<EntranceResident[]> {
    return this.inner.residentsOf(entrance);
  }
}
