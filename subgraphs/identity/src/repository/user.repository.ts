import type { EntranceRef, Role } from '@campus/platform';
import type { PlaceRef } from '../domain/campus';
import { emailTaken, IdentityErrors, roomFull, userNotFound } from '../domain/errors';
import { CLEAR_THROTTLE, isClear, type ThrottleState } from '../domain/throttle';
import { isoDate } from '../domain/time';
import type {
  Credentials,
  NewUser,
  UserDetail,
  UserFilter,
  UserOfDetail,
  UserPatch,
  UserRecord,
  UserSummary,
} from '../domain/users';
import type { UserStore, Window } from '../services/ports';
import {
  isUniqueViolation,
  onlyUuids,
  Prisma,
  shapeName,
  sqlRows,
  type DatabasePool,
  type PrismaClient,
} from './database';
import {
  listingRowToUserRecord,
  summaryRowToUser,
  toUserRecord,
  userInclude,
  type UserListingRow,
} from './user.mapper';

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

/**
 * The reads of many users (lists, residents, entity lookups) are hand-written SQL, one statement
 * each, run with plain pg on the pool (sqlRows). Prisma's findMany with these relations built every
 * matching user's room, roles and entrances as JSON before sorting by room and cutting the page (a
 * page of 100 cost as much as all the matches), and even `$queryRaw` passes through Prisma's query
 * pipeline (~0.4 ms per call plus its result conversion, 2–4× pg's CPU for a page of 100)
 * (docs/performance.md, "Identity: listing users"). What pg parses slowly comes in a cheaper form:
 * dates as numbers (days, epoch ms; pg would also read a `date` in local time), the roles as one
 * comma-separated string (pg's array parser took a third of the residents' read). The entrances
 * of a user are looked up only for the few who have any (one hashed set instead of a scan per row).
 */
const USER_LISTING_COLUMNS = Prisma.sql`
  u.id::text AS id, u.email, u.phone, u.first_name, u.last_name, u.patronymic, u.is_minor, u.is_active,
  u.check_in_date - DATE '1970-01-01' AS check_in_day, u.check_out_date - DATE '1970-01-01' AS check_out_day,
  u.parent_name, u.parent_phone, (extract(epoch FROM u.created_at) * 1000)::float8 AS created_at_ms,
  r.id::text AS room_id, r.building_code, r.entrance, r.floor, r.number,
  (SELECT string_agg(ur.role::text, ',') FROM user_roles ur WHERE ur.user_id = u.id) AS roles,
  CASE WHEN u.id IN (SELECT se.user_id FROM staff_entrances se) THEN
    (SELECT jsonb_agg(jsonb_build_object('building', se.building_code, 'entrance', se.entrance))
       FROM staff_entrances se WHERE se.user_id = u.id)
  END AS entrances`;

/**
 * A UserSummary's columns: no per-row subqueries, about half the PostgreSQL time for a page of 100
 * or a building's residents (docs/performance.md, "Users read as summaries").
 */
const USER_SUMMARY_COLUMNS = Prisma.sql`
  u.id::text AS id, u.first_name, u.last_name, u.patronymic, u.is_minor, u.is_active,
  r.id::text AS room_id, r.building_code, r.entrance, r.floor, r.number`;

/** The columns and the row mapping of a listing of each detail. */
const LISTINGS: { [D in UserDetail]: { columns: Prisma.Sql; toUser: (row: UserListingRow) => UserOfDetail<D> } } = {
  full: { columns: USER_LISTING_COLUMNS, toUser: listingRowToUserRecord },
  summary: { columns: USER_SUMMARY_COLUMNS, toUser: summaryRowToUser },
};

/** `users u LEFT JOIN rooms r`, the relation every condition and the order refer to. */
const USERS_WITH_ROOMS = Prisma.sql`users u LEFT JOIN rooms r ON r.id = u.room_id`;

/**
 * Building, room number, last name, first name, id of the columns under `alias` (`u`/`r` or a
 * subquery's); people without a room come last (NULLs sort last in ascending order).
 */
const userOrder = (alias?: string): Prisma.Sql => {
  const [user, room] = alias ? [alias, alias] : ['u', 'r'];
  return Prisma.raw(
    `ORDER BY ${room}.building_code, ${room}.number, ${user}.last_name, ${user}.first_name, ${user}.id`,
  );
};

/** Case-insensitive substring of a name or the e-mail (ILIKE: served by the trigram indexes). */
function searchCondition(word: string): Prisma.Sql {
  const pattern = `%${escapeLikePattern(word)}%`;
  return Prisma.sql`(u.last_name ILIKE ${pattern} OR u.first_name ILIKE ${pattern}
    OR u.patronymic ILIKE ${pattern} OR u.email ILIKE ${pattern})`;
}

/** The conditions over USERS_WITH_ROOMS. Every condition is served by an index (see schema.prisma). */
function userConditions(filter: UserFilter): Prisma.Sql[] {
  const and: Prisma.Sql[] = [];
  if (filter.ids) and.push(Prisma.sql`u.id = ANY(${onlyUuids(filter.ids)}::uuid[])`);
  // A room condition leaves out users without a room (the joined columns are NULL).
  if (filter.building !== undefined) and.push(Prisma.sql`r.building_code = ${filter.building}`);
  if (filter.entrance !== undefined) and.push(Prisma.sql`r.entrance = ${filter.entrance}`);
  if (filter.floor !== undefined) and.push(Prisma.sql`r.floor = ${filter.floor}`);
  if (filter.room !== undefined) and.push(Prisma.sql`r.number = ${filter.room}`);
  if (filter.role) {
    and.push(
      Prisma.sql`EXISTS (SELECT 1 FROM user_roles ur WHERE ur.user_id = u.id AND ur.role = ${filter.role}::"RoleCode")`,
    );
  }
  if (filter.minorsOnly) and.push(Prisma.sql`u.is_minor`);
  if (filter.isActive !== undefined) and.push(Prisma.sql`u.is_active = ${filter.isActive}`);
  // `<=` never matches a NULL check-out date: users without one are not in a leaving cohort.
  if (filter.checkOutDateTo !== undefined) {
    and.push(Prisma.sql`u.check_out_date <= ${isoDate(filter.checkOutDateTo)}::date`);
  }
  const words = (filter.search ?? '').split(/\s+/).filter(Boolean).slice(0, MAX_SEARCH_WORDS);
  and.push(...words.map(searchCondition));
  return and;
}

const whereOf = (conditions: Prisma.Sql[]): Prisma.Sql =>
  conditions.length > 0 ? Prisma.sql`WHERE ${Prisma.join(conditions, ' AND ')}` : Prisma.empty;

/**
 * A page of the users matching `where`, with the total: the matches' sort keys are collected once,
 * then only the page's rows get their room, roles and entrances.
 */
const pageOfMatches = (where: Prisma.Sql, window: Window, columns: Prisma.Sql): Prisma.Sql => Prisma.sql`
  WITH matching AS MATERIALIZED (
    SELECT u.id, r.building_code, r.number, u.last_name, u.first_name FROM ${USERS_WITH_ROOMS} ${where}
  )
  SELECT (SELECT count(*) FROM matching)::int AS total, ${columns}
  FROM (SELECT * FROM matching ${userOrder('matching')} LIMIT ${window.take} OFFSET ${window.skip}) page
  JOIN ${USERS_WITH_ROOMS} ON u.id = page.id
  ${userOrder('page')}`;

/**
 * A page of one building's people (the filter names a building): the matches are at most the
 * building's residents, reached through the rooms' (building, number) index already in the page's
 * order, so the page is cut straight from the sorted join and the total is a window count over it.
 * Measured with pgbench on the 2,000-student campus: 0.9 ms against pageOfMatches' 1.7 ms (a
 * building's 360 active students), 0.56 against 1.0 (demo building, 208). Not for unbounded filters
 * (all active users, minors, a search): there the wide rows' sort costs more than pageOfMatches'
 * narrow sort and re-join (4.4 against 2.4 ms for every active user).
 */
const pageOfOneBuilding = (where: Prisma.Sql, window: Window, columns: Prisma.Sql): Prisma.Sql => Prisma.sql`
  SELECT count(*) OVER ()::int AS total, ${columns} FROM ${USERS_WITH_ROOMS} ${where}
  ${userOrder()} LIMIT ${window.take} OFFSET ${window.skip}`;

/**
 * A page of everyone: the total is the table's count (no join, nothing materialized) and the page
 * is cut straight from the sorted join, about half the PostgreSQL time of pageOfMatches.
 */
const pageOfEveryone = (window: Window, columns: Prisma.Sql): Prisma.Sql => Prisma.sql`
  SELECT (SELECT count(*) FROM users)::int AS total, ${columns}
  FROM (SELECT u.id, r.building_code, r.number, u.last_name, u.first_name FROM ${USERS_WITH_ROOMS}
        ${userOrder()} LIMIT ${window.take} OFFSET ${window.skip}) page
  JOIN ${USERS_WITH_ROOMS} ON u.id = page.id
  ${userOrder('page')}`;

/** The statement of a page: the shape that costs PostgreSQL least for this kind of filter. */
function pageQuery(filter: UserFilter, conditions: Prisma.Sql[], window: Window, columns: Prisma.Sql): Prisma.Sql {
  if (conditions.length === 0) return pageOfEveryone(window, columns);
  const where = whereOf(conditions);
  return filter.building !== undefined
    ? pageOfOneBuilding(where, window, columns)
    : pageOfMatches(where, window, columns);
}

/**
 * Whether the layout has a place: a floor or a room is a room's (rooms' (building, entrance, floor)
 * and (building, number) indexes), an entrance an entrances row (its key), a building a buildings
 * row. One EXISTS, so PostgreSQL stops at the first match.
 */
function placeExistsQuery({ building, entrance, floor, room }: PlaceRef): Prisma.Sql | null {
  const inBuilding = (column: Prisma.Sql) =>
    building !== undefined ? [Prisma.sql`${column} = ${building}`] : ([] as Prisma.Sql[]);
  if (floor !== undefined || room !== undefined) {
    const and = [
      ...inBuilding(Prisma.sql`r.building_code`),
      ...(entrance !== undefined ? [Prisma.sql`r.entrance = ${entrance}`] : []),
      ...(floor !== undefined ? [Prisma.sql`r.floor = ${floor}`] : []),
      ...(room !== undefined ? [Prisma.sql`r.number = ${room}`] : []),
    ];
    return Prisma.sql`SELECT EXISTS (SELECT 1 FROM rooms r WHERE ${Prisma.join(and, ' AND ')}) AS known`;
  }
  if (entrance !== undefined) {
    const and = [...inBuilding(Prisma.sql`e.building_code`), Prisma.sql`e.number = ${entrance}`];
    return Prisma.sql`SELECT EXISTS (SELECT 1 FROM entrances e WHERE ${Prisma.join(and, ' AND ')}) AS known`;
  }
  if (building !== undefined)
    return Prisma.sql`SELECT EXISTS (SELECT 1 FROM buildings b WHERE b.code = ${building}) AS known`;
  return null;
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
  constructor(
    private readonly db: PrismaClient,
    /** The pool under `db`: the multi-row reads run on it directly. */
    private readonly pool: DatabasePool,
  ) {}

  async findByIds(ids: readonly string[]): Promise<UserRecord[]> {
    const valid = onlyUuids(ids);
    if (valid.length === 0) return [];
    return this.listed(
      'full',
      Prisma.sql`SELECT ${USER_LISTING_COLUMNS} FROM ${USERS_WITH_ROOMS} WHERE u.id = ANY(${valid}::uuid[])`,
      'identity.users-by-ids',
    );
  }

  /**
   * From the rooms to their residents: the room ids filter the small table, and the residents are
   * joined by hash, 2–3× less PostgreSQL time than filtering every user by the list of ids.
   */
  async findActiveByRoomIds(roomIds: readonly string[]): Promise<UserSummary[]> {
    const valid = onlyUuids(roomIds);
    if (valid.length === 0) return [];
    return this.listed(
      'summary',
      Prisma.sql`
        SELECT ${USER_SUMMARY_COLUMNS} FROM rooms r JOIN users u ON u.room_id = r.id
        WHERE r.id = ANY(${valid}::uuid[]) AND u.is_active ${userOrder()}`,
      'identity.residents-of-rooms',
    );
  }

  /** One statement for a whole campus-tree level, whatever the number of rooms (see resolvers.ts). */
  async findActiveByEntrances(entrances: readonly EntranceRef[]): Promise<UserSummary[]> {
    const refs = [...new Map(entrances.map((e) => [`${e.building}\u0000${e.entrance}`, e])).values()];
    if (refs.length === 0) return [];
    return this.listed(
      'summary',
      Prisma.sql`
        SELECT ${USER_SUMMARY_COLUMNS}
        FROM unnest(${refs.map((e) => e.building)}::text[], ${refs.map((e) => e.entrance)}::int[])
          AS e(building, entrance)
        JOIN rooms r ON r.building_code = e.building AND r.entrance = e.entrance
        JOIN users u ON u.room_id = r.id
        WHERE u.is_active ${userOrder()}`,
      'identity.residents-of-entrances',
    );
  }

  /** The page and the total in one statement (one snapshot). */
  async search<D extends UserDetail>(
    filter: UserFilter,
    window: Window,
    detail: D,
  ): Promise<{ items: Array<UserOfDetail<D>>; total: number }> {
    const conditions = userConditions(filter);
    const { columns, toUser } = LISTINGS[detail];
    const query = pageQuery(filter, conditions, window, columns);
    const rows = await sqlRows<UserListingRow & { total: number }>(
      this.pool,
      query,
      shapeName('identity.users-page', query),
    );
    const [first] = rows;
    if (first) return { items: rows.map(toUser), total: first.total };
    // An empty page: nothing matches, or the window starts after the last match.
    return { items: [], total: window.skip === 0 ? 0 : await this.count(whereOf(conditions)) };
  }

  list<D extends UserDetail>(filter: UserFilter, limit: number, detail: D): Promise<Array<UserOfDetail<D>>> {
    const query = Prisma.sql`
      SELECT ${LISTINGS[detail].columns} FROM ${USERS_WITH_ROOMS} ${whereOf(userConditions(filter))}
      ${userOrder()} LIMIT ${limit}`;
    return this.listed(detail, query, shapeName('identity.users-list', query));
  }

  async placeExists(place: PlaceRef): Promise<boolean> {
    const query = placeExistsQuery(place);
    if (!query) return true; // no place named: the whole campus
    const [row] = await sqlRows<{ known: boolean }>(this.pool, query, shapeName('identity.place-exists', query));
    return row?.known === true;
  }

  /** `name`: prepared once per connection (see sqlRows). */
  private async listed<D extends UserDetail>(
    detail: D,
    query: Prisma.Sql,
    name?: string,
  ): Promise<Array<UserOfDetail<D>>> {
    return (await sqlRows<UserListingRow>(this.pool, query, name)).map(LISTINGS[detail].toUser);
  }

  private async count(where: Prisma.Sql): Promise<number> {
    const [row] = await sqlRows<{ total: number }>(
      this.pool,
      Prisma.sql`SELECT count(*)::int AS total FROM ${USERS_WITH_ROOMS} ${where}`,
    );
    return row?.total ?? 0;
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
