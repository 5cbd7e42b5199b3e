// Who may do what with coworkings (domain spec §2, §7), as pure functions of the caller's token.
// Services call these; every denial is the shared FORBIDDEN with `details.rule` and only what the
// caller sent.
import { forbidden, hasRole, requireAuth, type AuthContext, type Role } from '@campus/platform';

/** Edit the catalogue, see the board and the history. */
export const STAFF: readonly Role[] = ['educator', 'educator_head', 'admin'];
/** Decide bookings, hand keys over, confirm completion. */
export const KEY_KEEPERS: readonly Role[] = ['educator', 'educator_head'];
/** Ask for a key back (educators and the night administrator). */
export const KEY_RECALLERS: readonly Role[] = ['educator', 'educator_head', 'admin'];

/** Requires a signed-in caller holding one of `roles`. */
export function requireAnyRole(
  auth: AuthContext | null | undefined,
  roles: readonly Role[],
  rule: string,
  sent: Record<string, unknown> = {},
): AuthContext {
  const caller = requireAuth(auth);
  if (!hasRole(caller, ...roles)) throw forbidden('Your role does not allow this', { rule, ...sent });
  return caller;
}

/** Requires the student who owns the booking. */
export function requireOwner(
  auth: AuthContext | null | undefined,
  studentId: string,
  rule: string,
  sent: Record<string, unknown> = {},
): AuthContext {
  const caller = requireAuth(auth);
  if (caller.userId !== studentId) throw forbidden('Only the student who booked may do this', { rule, ...sent });
  return caller;
}

export const isStaffCaller = (auth: AuthContext | null | undefined): boolean => !!auth && hasRole(auth, ...STAFF);
