// Who may check students out and see batches (domain spec §2, §9), as pure functions of the caller's
// token. Every denial is the shared FORBIDDEN with `details.rule`.
import { forbidden, hasRole, requireAuth, type AuthContext, type Role } from '@campus/platform';
import type { Student } from './records';

/** At most so many ids in a refusal's details. */
const MAX_LISTED = 20;

/** Check students out: the educator responsible for entrances and the duty administrator. */
export const CHECKOUT_REQUESTERS: readonly Role[] = ['educator_head', 'admin'];
/** See batches and their progress: every staff role. */
export const BATCH_READERS: readonly Role[] = ['educator', 'educator_head', 'admin'];

export function requireAnyRole(
  auth: AuthContext | null | undefined,
  roles: readonly Role[],
  rule: string,
): AuthContext {
  const caller = requireAuth(auth);
  if (!hasRole(caller, ...roles)) throw forbidden('Your role does not allow this', { rule });
  return caller;
}

/**
 * An educator_head acts on the entrances assigned to them (an admin on the whole campus): every
 * student of the batch must live in one of them. The refusal names the students outside.
 */
export function requireInScope(caller: AuthContext, students: readonly Student[]): void {
  if (hasRole(caller, 'admin')) return;
  const outside = students.filter(
    (s) =>
      !s.entrance ||
      !caller.entrances.some((e) => e.building === s.entrance!.building && e.entrance === s.entrance!.entrance),
  );
  if (outside.length) {
    throw forbidden('Some of these students live outside the entrances assigned to you', {
      rule: 'checkout.scope',
      outside: outside.length,
      // The first ones: a whole building's cohort would otherwise list hundreds.
      userIds: outside.slice(0, MAX_LISTED).map((s) => s.id),
    });
  }
}
