// Rows of users ↔ UserRecord: Prisma rows (single-user reads and writes, check-out) and the rows of
// the hand-written multi-row reads of user.repository.ts (lists, residents, entity lookups).
import { ROLES, type EntranceRef, type Role } from '@campus/platform';
import { canonicalRoles } from '../domain/roles';
import type { ResidenceRecord, UserRecord, UserSummary } from '../domain/users';
import type { Prisma } from './database';

export const userInclude = { room: true, roles: true, assignedEntrances: true } satisfies Prisma.UserInclude;
type UserRow = Prisma.UserGetPayload<{ include: typeof userInclude }>;

/** "8" before "10"; one collator (localeCompare with options builds one per call). */
const buildingCodes = new Intl.Collator('en', { numeric: true });

/** By building, then entrance. */
const sortedEntrances = (entrances: EntranceRef[]): EntranceRef[] =>
  entrances.sort((a, b) => buildingCodes.compare(a.building, b.building) || a.entrance - b.entrance);

const parentContactOf = (name: string | null, phone: string | null) => (name && phone ? { name, phone } : null);

export function toUserRecord(row: UserRow): UserRecord {
  const { room } = row;
  return {
    id: row.id,
    email: row.email,
    phone: row.phone,
    firstName: row.firstName,
    lastName: row.lastName,
    patronymic: row.patronymic,
    roles: canonicalRoles(row.roles.map((r) => r.role)),
    residence: room
      ? { roomId: room.id, building: room.buildingCode, entrance: room.entrance, floor: room.floor, room: room.number }
      : null,
    isMinor: row.isMinor,
    isActive: row.isActive,
    checkInDate: row.checkInDate,
    checkOutDate: row.checkOutDate,
    parentContact: parentContactOf(row.parentName, row.parentPhone),
    assignedEntrances: sortedEntrances(
      row.assignedEntrances.map((e) => ({ building: e.buildingCode, entrance: e.entrance })),
    ),
    createdAt: row.createdAt,
  };
}

/**
 * A row of USER_SUMMARY_COLUMNS (user.repository.ts): the user's names and flags, their room's
 * columns (all null without a room).
 */
export interface UserSummaryRow {
  id: string;
  first_name: string;
  last_name: string;
  patronymic: string | null;
  is_minor: boolean;
  is_active: boolean;
  room_id: string | null;
  building_code: string | null;
  entrance: number | null;
  floor: number | null;
  number: string | null;
}

/** A row of USER_LISTING_COLUMNS: the summary's, contacts, dates, role codes and assigned entrances. */
export interface UserListingRow extends UserSummaryRow {
  email: string;
  phone: string | null;
  /** Calendar dates as days since 1970-01-01. */
  check_in_day: number | null;
  check_out_day: number | null;
  parent_name: string | null;
  parent_phone: string | null;
  /** Milliseconds since the epoch. */
  created_at_ms: number;
  /** Values of the RoleCode enum, comma-separated; null when none. */
  roles: string | null;
  /** Null when none. */
  entrances: EntranceRef[] | null;
}

function residenceOf(row: UserSummaryRow): ResidenceRecord | null {
  const { room_id: roomId, building_code: building, entrance, floor, number: room } = row;
  if (roomId === null || building === null || entrance === null || floor === null || room === null) return null;
  return { roomId, building, entrance, floor, room };
}

/** "student,student_head" → the roles in canonical order (as canonicalRoles orders them). */
function rolesOf(codes: string | null): Role[] {
  if (!codes) return [];
  const held: readonly string[] = codes.split(',');
  return ROLES.filter((role) => held.includes(role));
}

const DAY_MS = 86_400_000;
/** Days since 1970-01-01 → that day at UTC midnight, as calendar dates are held. */
const calendarDate = (days: number | null): Date | null => (days === null ? null : new Date(days * DAY_MS));

export const summaryRowToUser = (row: UserSummaryRow): UserSummary => ({
  id: row.id,
  firstName: row.first_name,
  lastName: row.last_name,
  patronymic: row.patronymic,
  residence: residenceOf(row),
  isMinor: row.is_minor,
  isActive: row.is_active,
});

export const listingRowToUserRecord = (row: UserListingRow): UserRecord => ({
  id: row.id,
  email: row.email,
  phone: row.phone,
  firstName: row.first_name,
  lastName: row.last_name,
  patronymic: row.patronymic,
  roles: rolesOf(row.roles),
  residence: residenceOf(row),
  isMinor: row.is_minor,
  isActive: row.is_active,
  checkInDate: calendarDate(row.check_in_day),
  checkOutDate: calendarDate(row.check_out_day),
  parentContact: parentContactOf(row.parent_name, row.parent_phone),
  assignedEntrances: row.entrances ? sortedEntrances(row.entrances) : [],
  createdAt: new Date(row.created_at_ms),
});
