// Who sees and resolves sanctions (domain spec §6: "resolved by an educator"), as pure functions
// of the caller's token and the sanction. Services apply them; every denial is FORBIDDEN.
import { actsOnEntrance, forbidden, hasRole, type AuthContext, type EntranceRef } from '@campus/platform';
import { DutyErrors } from './errors';
import { SANCTION_READ_SCOPE } from './policy';
import type { Sanction } from './records';

/** The entrances whose sanctions a caller may read: every entrance, some, or none. */
export type SanctionVisibility = { all: true } | { all: false; entrances: readonly EntranceRef[] };

/** Campus-wide readers see everything; an assigned role (educator_head) its entrances; anybody else nothing. */
export function sanctionVisibility(auth: AuthContext): SanctionVisibility {
  if (hasRole(auth, ...(SANCTION_READ_SCOPE.campusWide ?? []))) return { all: true };
  if (hasRole(auth, ...(SANCTION_READ_SCOPE.assigned ?? []))) return { all: false, entrances: auth.entrances };
  return { all: false, entrances: [] };
}

/** A staff reader of sanctions at all (some entrance at least, possibly none assigned yet). */
export const isSanctionReader = (auth: AuthContext): boolean =>
  hasRole(auth, ...(SANCTION_READ_SCOPE.campusWide ?? []), ...(SANCTION_READ_SCOPE.assigned ?? []));

export interface SanctionFilter {
  building?: string;
  entrance?: number;
  status?: Sanction['status'];
  userId?: string;
}

/** What a list query is narrowed to: the filter, and (for an assigned reader) these entrances only. */
export interface ScopedSanctionFilter extends SanctionFilter {
  entrances?: readonly EntranceRef[];
}

/**
 * The caller's filter within what they may read: a campus-wide reader as sent; an educator_head's
 * list is limited to the assigned entrances, and a filter naming another entrance is refused.
 * Students (and anybody without a reading role) are refused.
 */
export function scopeSanctionFilter(auth: AuthContext, filter: SanctionFilter): ScopedSanctionFilter {
  if (!isSanctionReader(auth)) throw forbidden('Only staff list sanctions', { rule: 'sanction_read' });
  const visibility = sanctionVisibility(auth);
  if (visibility.all) return filter;
  if (filter.building !== undefined && filter.entrance !== undefined) {
    const target = { building: filter.building, entrance: filter.entrance };
    if (!actsOnEntrance(auth, target, SANCTION_READ_SCOPE)) {
      throw forbidden('You may not read the sanctions of this entrance', { rule: 'sanction_read', ...target });
    }
  }
  const entrances = visibility.entrances.filter(
    (e) =>
      (filter.building === undefined || e.building === filter.building) &&
      (filter.entrance === undefined || e.entrance === filter.entrance),
  );
  return { ...filter, entrances };
}

/** Whether the caller may see this one sanction: its resident, or staff of its entrance. */
export function maySeeSanction(auth: AuthContext, sanction: Pick<Sanction, 'userId' | 'room'>): boolean {
  return sanction.userId === auth.userId || actsOnEntrance(auth, sanction.room, SANCTION_READ_SCOPE);
}

/** A sanction is resolved once, with a note (trimmed; a blank note is none). Returns the note. */
export function checkResolution(sanction: Pick<Sanction, 'id' | 'status'>, note: string): string {
  const trimmed = note.trim();
  if (!trimmed) throw DutyErrors.error('RESOLUTION_NOTE_REQUIRED', 'Resolving a sanction needs a note');
  if (sanction.status !== 'open') throw sanctionResolvedError(sanction.id);
  return trimmed;
}

export const sanctionResolvedError = (sanctionId: string) =>
  DutyErrors.error('SANCTION_RESOLVED', 'The sanction was already resolved', { sanctionId });

/** The resolution note of a sanction the student's check-out closed (there is no educator to write one). */
export const CHECKOUT_RESOLUTION_NOTE = "Closed by the student's check-out";
