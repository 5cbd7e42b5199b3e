import { hasRole, requireAuth, type AuthContext } from '../auth';
import { forbidden } from '../errors';
import type { EntranceRef } from './residence';
import type { Role } from './roles';

/**
 * Who may act on one entrance. Roles in `campusWide` act anywhere; `assigned` roles act on the
 * entrances assigned to them; `resident` roles act on the entrance they live in. Which roles a
 * service puts where is that service's rule.
 */
export interface EntranceScopeRule {
  campusWide?: readonly Role[];
  assigned?: readonly Role[];
  resident?: readonly Role[];
}

export function actsOnEntrance(
  auth: AuthContext | null | undefined,
  target: EntranceRef,
  rule: EntranceScopeRule,
): boolean {
  if (!auth) return false;
  if (hasRole(auth, ...(rule.campusWide ?? []))) return true;
  const same = (e: EntranceRef) => e.building === target.building && e.entrance === target.entrance;
  if (hasRole(auth, ...(rule.assigned ?? [])) && auth.entrances.some(same)) return true;
  if (hasRole(auth, ...(rule.resident ?? [])) && auth.residence && same(auth.residence)) return true;
  return false;
}

/** Requires a signed-in caller who acts on `target` under `rule` (FORBIDDEN otherwise). */
export function requireEntranceScope(
  auth: AuthContext | null | undefined,
  target: EntranceRef,
  rule: EntranceScopeRule,
): AuthContext {
  const caller = requireAuth(auth);
  if (!actsOnEntrance(caller, target, rule)) {
    // Only the entrance: callers pass whole records (a patrol, a room) as the target, and a refusal
    // never carries what the caller may not read.
    const { building, entrance } = target;
    throw forbidden(`You may not act on building ${building}, entrance ${entrance}`, { building, entrance });
  }
  return caller;
}
