import type { EntranceRef, Role } from '@campus/platform';
import { emailTaken, IdentityErrors, roomFull, userNotFound } from '../domain/errors';
import { canonicalRoles } from '../domain/roles';
import { CLEAR_THROTTLE, isClear, type ThrottleState } from '../domain/throttle';
import type { Credentials, NewUser, UserFilter, UserPatch, UserRecord } from '../domain/users';
import type { UserStore, Window } from '../services/ports';
import { isUniqueViolation, onlyUuids, type Prisma, type PrismaClient } from './database';

export const userInclude = { room: true, roles: true, assignedEntrances: true } satisfies Prisma.UserInclude;
type UserRow = Prisma.UserGetPayload<{ include: typeof userInclude }>;

/** Building, room number, last name, first name; people without a room come last. */
const userOrder: Prisma.UserOrderByWithRelationInput[] = [
  { room: { buildingCode: 'asc' } },
  { room: { number: 'asc' } },
  { lastName: 'asc' },
  { firstName: 'asc' },
  { id: 'asc' },
];

const credentialsSelect = {
  id: true,
  passwordHash: true,
  isActive: true,
  failedLoginAttempts: true,
  firstFailedLoginAt: true,
  lastFailedLoginAt: true,
  lockedUntil: true,
} satisfies Prisma.UserSelect;
type CredentialsRow = Prisma.UserGetPayload<{ select: typeof credentialsSelect }>;

const MAX_SEARCH_WORDS = 5;

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
    parentContact: row.parentName && row.parentPhone ? { name: row.parentName, phone: row.parentPhone } : null,
    assignedEntrances: row.assignedEntrances
      .map((e) => ({ building: e.buildingCode, entrance: e.entrance }))
      .sort((a, b) => a.building.localeCompare(b.building, 'en', { numeric: true }) || a.entrance - b.entrance),
    createdAt: row.createdAt,
  };
}

const toCredentials = (row: CredentialsRow): Credentials => ({
  userId: row.id,
  passwordHash: row.passwordHash,
  isActive: row.isActive,
  throttle: {
    failedAttempts: row.failedLoginAttempts,
    firstFailedAt: row.firstFailedLoginAt,
    lastFailedAt: row.lastFailedLoginAt,
    lockedUntil: row.lockedUntil,
  },
});

const throttleColumns = (state: ThrottleState) => ({
  failedLoginAttempts: state.failedAttempts,
  firstFailedLoginAt: state.firstFailedAt,
  lastFailedLoginAt: state.lastFailedAt,
  lockedUntil: state.lockedUntil,
});

/**
 * Prisma passes `contains` to ILIKE as is, so `%` and `_` in a search word would match anything:
 * escape them (and the escape character itself, `\`, PostgreSQL's default).
 */
export const escapeLikePattern = (word: string): string => word.replace(/[\\%_]/g, (c) => `\\${c}`);

function searchCondition(word: string): Prisma.UserWhereInput {
  const contains = { contains: escapeLikePattern(word), mode: 'insensitive' as const };
  return { OR: [{ lastName: contains }, { firstName: contains }, { patronymic: contains }, { email: contains }] };
}

/** Every condition is served by an index (see schema.prisma). */
export function userWhere(filter: UserFilter): Prisma.UserWhereInput {
  const and: Prisma.UserWhereInput[] = [];
  if (filter.ids) and.push({ id: { in: onlyUuids(filter.ids) } });
  const room: Prisma.RoomWhereInput = {
    ...(filter.building !== undefined ? { buildingCode: filter.building } : {}),
    ...(filter.entrance !== undefined ? { entrance: filter.entrance } : {}),
    ...(filter.floor !== undefined ? { floor: filter.floor } : {}),
    ...(filter.room !== undefined ? { number: filter.room } : {}),
  };
  if (Object.keys(room).length > 0) and.push({ room: { is: room } });
  if (filter.role) and.push({ roles: { some: { role: filter.role } } });
  if (filter.minorsOnly) and.push({ isMinor: true });
  if (filter.isActive !== undefined) and.push({ isActive: filter.isActive });
  // `lte` never matches a NULL check-out date: users without one are not in a leaving cohort.
  if (filter.checkOutDateTo !== undefined) and.push({ checkOutDate: { lte: filter.checkOutDateTo } });
  const words = (filter.search ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
  and.push(...words.map(searchCondition));
  return { AND: and };
}

function parentColumns(patch: Pick<UserPatch, 'parentContact'>) {
  if (patch.parentContact === undefined) return {};
  return { parentName: patch.parentContact?.name ?? null, parentPhone: patch.parentContact?.phone ?? null };
}

/**
 * Places taken in a room, apart from `movingUserId`'s own: its active residents, plus the places
 * held for students in the middle of a check-out (checkout_holds `held`, who were active), so that
 * a place is not given away while a check-out may still be undone. One statement, so one snapshot:
 * a check-out committing meanwhile (user and hold change together) is seen wholly or not at all.
 */
async function occupiedPlaces(tx: Prisma.TransactionClient, roomId: string, movingUserId: string | null) {
  const [row] = await tx.$queryRaw<Array<{ occupied: number }>>`
    SELECT ((SELECT count(*) FROM users
             WHERE room_id = ${roomId}::uuid AND is_active AND id IS DISTINCT FROM ${movingUserId}::uuid)
         + (SELECT count(*) FROM checkout_holds
             WHERE room_id = ${roomId}::uuid AND status = 'held' AND previous_is_active
               AND user_id IS DISTINCT FROM ${movingUserId}::uuid))::int AS occupied`;
  return row?.occupied ?? 0;
}

/** Locks the room row, so that concurrent check-ins into one room are counted one after another. */
async function assertRoomHasPlace(
  tx: Prisma.TransactionClient,
  roomId: string,
  movingUserId: string | null,
): Promise<void> {
  const [room] = await tx.$queryRaw<Array<{ building_code: string; number: string; capacity: number }>>`
    SELECT building_code, number, capacity FROM rooms WHERE id = ${roomId}::uuid FOR UPDATE`;
  if (!room) throw IdentityErrors.error('UNKNOWN_ROOM', 'The room does not exist', { roomId });
  if ((await occupiedPlaces(tx, roomId, movingUserId)) >= room.capacity)
    throw roomFull({ building: room.building_code, room: room.number, capacity: room.capacity });
}

export class PrismaUserRepository implements UserStore {
  constructor(private readonly db: PrismaClient) {}

  async findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    const valid = onlyUuids(ids);
    if (valid.length === 0) return [];
    const rows = await this.db.user.findMany({ where: { id: { in: valid } }, include: userInclude });
    return rows.map(toUserRecord);
  }

  async findActiveByRoomIds(roomIds: readonly string[]): Promise<UserRecord[]> {
    const valid = onlyUuids(roomIds);
    if (valid.length === 0) return [];
    const rows = await this.db.user.findMany({
      where: { roomId: { in: valid }, isActive: true },
      include: userInclude,
      orderBy: userOrder,
    });
    return rows.map(toUserRecord);
  }

  async search(filter: UserFilter, window: Window): Promise<{ items: UserRecord[]; total: number }> {
    const where = userWhere(filter);
    const [total, rows] = await this.db.$transaction([
      this.db.user.count({ where }),
      this.db.user.findMany({ where, include: userInclude, orderBy: userOrder, skip: window.skip, take: window.take }),
    ]);
    return { items: rows.map(toUserRecord), total };
  }

  async list(filter: UserFilter, limit: number): Promise<UserRecord[]> {
    const rows = await this.db.user.findMany({
      where: userWhere(filter),
      include: userInclude,
      orderBy: userOrder,
      take: limit,
    });
    return rows.map(toUserRecord);
  }

  async existingEmails(emails: readonly string[]): Promise<string[]> {
    if (emails.length === 0) return [];
    const rows = await this.db.user.findMany({
      where: { email: { in: [...new Set(emails)] } },
      select: { email: true },
    });
    return rows.map((r) => r.email);
  }

  async findCredentialsByEmail(email: string): Promise<Credentials | null> {
    const row = await this.db.user.findUnique({ where: { email }, select: credentialsSelect });
    return row ? toCredentials(row) : null;
  }

  async findCredentialsById(id: string): Promise<Credentials | null> {
    if (onlyUuids([id]).length === 0) return null;
    const row = await this.db.user.findUnique({ where: { id }, select: credentialsSelect });
    return row ? toCredentials(row) : null;
  }

  async updateThrottle(userId: string, expected: ThrottleState, next: ThrottleState): Promise<boolean> {
    const { count } = await this.db.user.updateMany({
      where: { id: userId, ...throttleColumns(expected) },
      data: throttleColumns(next),
    });
    return count === 1;
  }

  async findClientThrottle(userId: string, client: string): Promise<ThrottleState> {
    const row = await this.db.loginThrottle.findUnique({
      where: { userId_client: { userId, client } },
      select: { failedAttempts: true, firstFailedAt: true, lastFailedAt: true, lockedUntil: true },
    });
    return row ?? { ...CLEAR_THROTTLE };
  }

  async updateClientThrottle(
    userId: string,
    client: string,
    expected: ThrottleState,
    next: ThrottleState,
  ): Promise<boolean> {
    const { count } = await this.db.loginThrottle.updateMany({ where: { userId, client, ...expected }, data: next });
    if (count === 1 || !isClear(expected)) return count === 1;
    // Nothing stored yet (or a clear row another attempt just wrote): insert; a racing insert loses.
    const created = await this.db.loginThrottle.createMany({
      data: [{ userId, client, ...next }],
      skipDuplicates: true,
    });
    return created.count === 1;
  }

  async clearClientThrottles(userId: string, client?: string): Promise<void> {
    await this.db.loginThrottle.deleteMany({ where: { userId, ...(client === undefined ? {} : { client }) } });
  }

  create(user: NewUser): Promise<UserRecord> {
    return this.write(user.email, async (tx) => {
      if (user.roomId) await assertRoomHasPlace(tx, user.roomId, null);
      const row = await tx.user.create({
        data: {
          email: user.email,
          passwordHash: user.passwordHash,
          firstName: user.firstName,
          lastName: user.lastName,
          patronymic: user.patronymic,
          phone: user.phone,
          roomId: user.roomId,
          isMinor: user.isMinor,
          checkInDate: user.checkInDate,
          checkOutDate: user.checkOutDate,
          ...parentColumns(user),
          roles: { createMany: { data: user.roles.map((role) => ({ role })) } },
          assignedEntrances: {
            createMany: { data: user.entrances.map((e) => ({ buildingCode: e.building, entrance: e.entrance })) },
          },
        },
        include: userInclude,
      });
      return toUserRecord(row);
    });
  }

  update(id: string, patch: UserPatch): Promise<UserRecord> {
    return this.write(patch.email, async (tx) => {
      const current = await tx.user.findUnique({ where: { id }, select: { roomId: true, isActive: true } });
      if (!current) throw userNotFound(id);
      const roomId = patch.roomId === undefined ? current.roomId : patch.roomId;
      const isActive = patch.isActive ?? current.isActive;
      const arrives = roomId !== null && isActive && (roomId !== current.roomId || !current.isActive);
      if (roomId !== null && arrives) await assertRoomHasPlace(tx, roomId, id);
      const { parentContact: _parent, ...columns } = patch;
      const row = await tx.user.update({
        where: { id },
        data: { ...columns, ...parentColumns(patch) },
        include: userInclude,
      });
      return toUserRecord(row);
    });
  }

  setRoles(id: string, roles: readonly Role[], entrances: readonly EntranceRef[]): Promise<UserRecord> {
    return this.write(undefined, async (tx) => {
      await tx.userRole.deleteMany({ where: { userId: id, role: { notIn: [...roles] } } });
      await tx.userRole.createMany({ data: roles.map((role) => ({ userId: id, role })), skipDuplicates: true });
      await tx.staffEntrance.deleteMany({ where: { userId: id } });
      await tx.staffEntrance.createMany({
        data: entrances.map((e) => ({ userId: id, buildingCode: e.building, entrance: e.entrance })),
      });
      // Touch the user so updatedAt records the change of roles.
      const row = await tx.user.update({ where: { id }, data: { updatedAt: new Date() }, include: userInclude });
      return toUserRecord(row);
    });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db.user.update({ where: { id }, data: { passwordHash } });
  }

  /** One transaction; a duplicate e-mail (raced past the service's check) becomes AUTH_EMAIL_TAKEN. */
  private async write<T>(email: string | undefined, fn: (tx: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    try {
      return await this.db.$transaction(fn);
    } catch (error) {
      if (email !== undefined && isUniqueViolation(error)) throw emailTaken(email);
      throw error;
    }
  }
}
