// Rows of users ↔ UserRecord: Prisma rows (single-user reads and writes, check-out) and the rows of
// the hand-written multi-row reads of user.repository.ts (lists, residents, entity lookups).
import type { EntranceRef, Role } from '@campus/platform';
import { canonicalRoles } from '../domain/roles';
import type { ResidenceRecord, UserRecord } from '../domain/users';
import type { Prisma } from './database';

export const userInclude = { room: true, roles: true, assignedEntrances: true } satisfies Prisma.UserInclude;
type UserRow = Prisma.UserGetPayload<{ include: typeof userInclude }>;

/** By building ("8" before "10"), then entrance. */
const sortedEntrances = (entrances: EntranceRef[]): EntranceRef[] =>
  entrances.sort((a, b) => a.building.localeCompare(b.building, 'en', { numeric: true }) || a.entrance - b.entrance);

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
 * A row of USER_LISTING_COLUMNS (user.repository.ts): the user's columns, their room's (all null
 * without a room), the role codes and the assigned entrances.
 */
export interface UserListingRow {
  id: string;
  email: string;
  phone: string | null;
  first_name: string;
  last_name: string;
  patronymic: string | null;
  is_minor: boolean;
  is_active: boolean;
  check_in_date: Date | null;
  check_out_date: Date | null;
  parent_name: string | null;
  parent_phone: string | null;
  created_at: Date;
  room_id: string | null;
  building_code: string | null;
  entrance: number | null;
  floor: number | null;
  number: string | null;
  /** Values of the RoleCode enum. */
  roles: Role[];
  entrances: EntranceRef[];
}

function residenceOf(row: UserListingRow): ResidenceRecord | null {
  const { room_id: roomId, building_code: building, entrance, floor, number: room } = row;
  if (roomId === null || building === null || entrance === null || floor === null || room === null) return null;
  return { roomId, building, entrance, floor, room };
}

export const listingRowToUserRecord = (row: UserListingRow): UserRecord => ({
  id: row.id,
  email: row.email,
  phone: row.phone,
  firstName: row.first_name,
  lastName: row.last_name,
  patronymic: row.patronymic,
  roles: canonicalRoles(row.roles),
  residence: residenceOf(row),
  isMinor: row.is_minor,
  isActive: row.is_active,
  checkInDate: row.check_in_date,
  checkOutDate: row.check_out_date,
  parentContact: parentContactOf(row.parent_name, row.parent_phone),
  assignedEntrances: sortedEntrances(row.entrances),
  createdAt: row.created_at,
});
