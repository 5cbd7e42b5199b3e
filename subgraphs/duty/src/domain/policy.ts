// Who may do what with duties (domain spec §2, §6), as pure functions of the caller's token.
// Services call these; every denial is the shared FORBIDDEN with `details.rule`.
import {
  actsOnEntrance,
  forbidden,
  hasRole,
  requireAuth,
  type AuthContext,
  type EntranceRef,
  type EntranceScopeRule,
} from '@campus/platform';
import type { RoomRef } from './records';

/** Generate a roster and move single dates: the entrance's student_head, educators, an educator_head of it. */
export const ROSTER_SCOPE: EntranceScopeRule = {
  campusWide: ['educator'],
  assigned: ['educator_head'],
  resident: ['student_head'],
};

/**
 * Accept or reject photo reports, and list those waiting: educators and an educator_head of the
 * entrance (spec §2: the educator decides duty review). Not the student_head, a resident whose
 * own room's reports would be among those reviewed.
 */
export const REPORT_REVIEW_SCOPE: EntranceScopeRule = { campusWide: ['educator'], assigned: ['educator_head'] };

/**
 * Approve or reject swaps (spec §6: "an educator/head approves"): as ROSTER_SCOPE, but a
 * student_head never decides a swap of their own room (requireSwapReviewer).
 */
export const SWAP_REVIEW_SCOPE: EntranceScopeRule = ROSTER_SCOPE;

/** Read an entrance's calendar, reports, swaps: as ROSTER_SCOPE plus the night administrator. */
export const READ_SCOPE: EntranceScopeRule = {
  campusWide: ['educator', 'admin'],
  assigned: ['educator_head'],
  resident: ['student_head'],
};

/**
 * Make a room's calendar feed (which replaces its residents' link): besides its residents, the
 * staff of READ_SCOPE; not the student_head, who reads the roster but does not own the room's link.
 */
export const FEED_SCOPE: EntranceScopeRule = { campusWide: ['educator', 'admin'], assigned: ['educator_head'] };

/** Resolve and list sanctions: educators, an educator_head for assigned entrances, the administrator (read). */
export const SANCTION_SCOPE: EntranceScopeRule = { campusWide: ['educator'], assigned: ['educator_head'] };
export const SANCTION_READ_SCOPE: EntranceScopeRule = {
  campusWide: ['educator', 'admin'],
  assigned: ['educator_head'],
};

/** The caller lives in this room (tokens carry building, entrance and room number). */
export function livesIn(
  auth: AuthContext | null | undefined,
  room: Pick<RoomRef, 'building' | 'entrance' | 'number'>,
): boolean {
  const r = auth?.residence;
  return (
    !!r &&
    hasRole(auth!, 'student') &&
    r.building === room.building &&
    r.entrance === room.entrance &&
    r.room === room.number
  );
}

/** Requires a resident of `room` (NOT_YOUR_ROOM-style denial is FORBIDDEN with rule "room_resident"). */
export function requireResidentOf(
  auth: AuthContext | null | undefined,
  room: RoomRef,
  sent: Record<string, unknown>,
): AuthContext {
  const caller = requireAuth(auth);
  if (!livesIn(caller, room))
    throw forbidden("Only the room's residents may do this", { rule: 'room_resident', ...sent });
  return caller;
}

/**
 * Requires a caller acting on `entrance` under `rule`. The refusal names only what the caller sent
 * and the rule, never a record they may not read.
 */
export function requireScope(
  auth: AuthContext | null | undefined,
  entrance: EntranceRef,
  rule: EntranceScopeRule,
  ruleName: string,
  sent: Record<string, unknown>,
): AuthContext {
  const caller = requireAuth(auth);
  if (!actsOnEntrance(caller, entrance, rule)) {
    throw forbidden('Your role or entrance does not allow this', { rule: ruleName, ...sent });
  }
  return caller;
}

/** The caller's token places their home in this room (whatever their role). */
function homeIs(auth: AuthContext, room: Pick<RoomRef, 'building' | 'entrance' | 'number'>): boolean {
  const r = auth.residence;
  return !!r && r.building === room.building && r.entrance === room.entrance && r.room === room.number;
}

/**
 * Requires a caller who may approve or reject `swap` (SWAP_REVIEW_SCOPE on its entrance). A
 * student_head deciding only as a resident of the entrance may not decide a swap of their own room
 * (FORBIDDEN, rule "own_room_swap"): the exchange would be their own; staff decide it.
 */
export function requireSwapReviewer(
  auth: AuthContext | null | undefined,
  swap: EntranceRef,
  rooms: readonly Pick<RoomRef, 'building' | 'entrance' | 'number'>[],
  sent: Record<string, unknown>,
): AuthContext {
  const caller = requireScope(auth, swap, SWAP_REVIEW_SCOPE, 'swap_review', sent);
  const asStaff = actsOnEntrance(caller, swap, { ...SWAP_REVIEW_SCOPE, resident: [] });
  if (!asStaff && rooms.some((room) => homeIs(caller, room))) {
    throw forbidden('A swap of your own room is decided by the educators, not by its head', {
      rule: 'own_room_swap',
      ...sent,
    });
  }
  return caller;
}

/** May read one room's duties: its residents, or READ_SCOPE on its entrance. */
export function mayReadRoom(auth: AuthContext | null | undefined, room: RoomRef): boolean {
  return livesIn(auth, room) || actsOnEntrance(auth, room, READ_SCOPE);
}
