// Users as the services see them: plain data, independent of Prisma and of transports.
import { validationError, type EntranceRef, type Role } from '@campus/platform';
import { IdentityErrors } from './errors';
import type { ThrottleState } from './throttle';
import { isoDate } from './time';

/** Where a student lives. Entrance and floor are properties of the room, never entered by hand. */
export interface ResidenceRecord {
  roomId: string;
  building: string;
  entrance: number;
  floor: number;
  room: string;
}

export interface ParentContact {
  name: string;
  phone: string;
}

export interface UserRecord {
  id: string;
  email: string;
  phone: string | null;
  firstName: string;
  lastName: string;
  patronymic: string | null;
  roles: Role[];
  residence: ResidenceRecord | null;
  isMinor: boolean;
  isActive: boolean;
  /** Calendar dates (UTC midnight). */
  checkInDate: Date | null;
  checkOutDate: Date | null;
  parentContact: ParentContact | null;
  assignedEntrances: EntranceRef[];
  createdAt: Date;
}

/**
 * What every read of many users carries: names, residence and the two flags the field rules
 * (user-fields.ts) and roll-calls need. A listing whose readers ask for nothing more (a users page
 * of names and rooms, a campus tree's residents, a patrol's roll-call) reads only these columns:
 * no roles, entrances, contacts or dates (docs/performance.md, "Users read as summaries").
 */
export type UserSummary = Pick<
  UserRecord,
  'id' | 'firstName' | 'lastName' | 'patronymic' | 'residence' | 'isMinor' | 'isActive'
>;

/** How much of each user a listing reads. */
export type UserDetail = 'summary' | 'full';

/** A user as a listing of that detail reads them. */
export type UserOfDetail<D extends UserDetail> = D extends 'full' ? UserRecord : UserSummary;

/** Whether a user was read whole (a summary lacks roles, contacts, dates…). */
export const isWholeUser = (user: UserSummary | UserRecord): user is UserRecord => 'createdAt' in user;

/** Every given field must match. */
export interface UserFilter {
  ids?: string[];
  building?: string;
  entrance?: number;
  floor?: number;
  room?: string;
  role?: Role;
  minorsOnly?: boolean;
  /** Words matched case-insensitively against names and e-mail; every word must match. */
  search?: string;
  isActive?: boolean;
  /** A calendar date (UTC midnight): users whose check-out date is on or before it (none: no match). */
  checkOutDateTo?: Date;
}

/** What signing in checks: the password hash, whether the account is active, its login throttle. */
export interface Credentials {
  userId: string;
  passwordHash: string;
  isActive: boolean;
  throttle: ThrottleState;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  firstName: string;
  lastName: string;
  patronymic: string | null;
  phone: string | null;
  roles: Role[];
  roomId: string | null;
  isMinor: boolean;
  checkInDate: Date | null;
  checkOutDate: Date | null;
  parentContact: ParentContact | null;
  entrances: EntranceRef[];
}

/** A partial update: `undefined` keeps a field, `null` clears a nullable one. */
export interface UserPatch {
  email?: string;
  phone?: string | null;
  firstName?: string;
  lastName?: string;
  patronymic?: string | null;
  roomId?: string | null;
  isMinor?: boolean;
  isActive?: boolean;
  checkInDate?: Date | null;
  checkOutDate?: Date | null;
  parentContact?: ParentContact | null;
}

/** `a b`, or whichever of the two is not empty. */
const joinName = (a: string, b: string | null): string => (!b ? a : a ? `${a} ${b}` : b);

/**
 * "Фамилия Имя Отчество": the order Russian documents use. Empty parts are left out. (Concatenated
 * rather than filtered and joined: asked for every row of every list.)
 */
export const fullNameOf = (user: Pick<UserRecord, 'lastName' | 'firstName' | 'patronymic'>): string =>
  joinName(joinName(user.lastName, user.firstName), user.patronymic);

/** A stay ends on or after the day it starts. */
export function assertStayDates(checkIn: Date | null | undefined, checkOut: Date | null | undefined): void {
  if (checkIn && checkOut && checkOut.getTime() < checkIn.getTime()) {
    throw IdentityErrors.error('INVALID_STAY_DATES', 'The check-out date must not be before the check-in date', {
      checkInDate: isoDate(checkIn),
      checkOutDate: isoDate(checkOut),
    });
  }
}

/**
 * A minor has a parent's contact: when a minor is missing from the evening patrol, the night duty
 * administrator calls that parent (spec §3). VALIDATION_ERROR naming parentContact otherwise.
 */
export function assertParentContactOfMinor(isMinor: boolean, parentContact: ParentContact | null | undefined): void {
  if (isMinor && !parentContact) {
    throw validationError('A minor needs a parent contact (name and phone)', {
      fields: { parentContact: 'required for a minor (isMinor)' },
    });
  }
}
