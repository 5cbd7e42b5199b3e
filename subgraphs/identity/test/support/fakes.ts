// In-memory implementations of the service ports, for unit tests (no I/O).
import { randomUUID } from 'node:crypto';
import type { AuthContext, Clock, EntranceRef, Role } from '@campus/platform';
import { TestClock } from '@campus/testkit';
import type { BuildingRecord, PlaceRef, RoomRecord, RoomRef, RoomsToAdd } from '../../src/domain/campus';
import { emailTaken, roomFull, roomNumbersTaken } from '../../src/domain/errors';
import type { NewRefreshToken, RefreshTokenRecord } from '../../src/domain/sessions';
import type { StoredSigningKey } from '../../src/domain/signing-keys';
import { CLEAR_THROTTLE, type ThrottleState } from '../../src/domain/throttle';
import { addSeconds } from '../../src/domain/time';
import type { Credentials, NewUser, UserFilter, UserPatch, UserRecord } from '../../src/domain/users';
import type {
  AccessTokenIssuer,
  CampusStore,
  IssuedAccessToken,
  PasswordHasher,
  RefreshTokenStore,
  SigningKeyStore,
  SigningKeyWriter,
  UserStore,
  Window,
} from '../../src/services/ports';

/** A testkit clock frozen at `start`; it moves only by advance()/set(). */
export const frozenClock = (start: Date | string = '2026-11-25T10:00:00.000Z'): TestClock => new TestClock(start);

/** Identity's tests count in seconds; the testkit clock advances by milliseconds. */
export const seconds = (count: number): number => count * 1000;

/** hash(p) = "hashed:" + p, so tests can see what was hashed. */
export const fakeHasher: PasswordHasher = {
  hash: async (password) => `hashed:${password}`,
  verify: async (hash, password) => hash === `hashed:${password}`,
};

export class FakeAccessTokens implements AccessTokenIssuer {
  issued = 0;
  constructor(private readonly clock: Clock) {}
  async issue(user: UserRecord): Promise<IssuedAccessToken> {
    this.issued++;
    return { token: `access:${user.id}:${this.issued}`, expiresAt: addSeconds(this.clock.now(), 900) };
  }
}

const sameEntrance = (a: EntranceRef, b: EntranceRef) => a.building === b.building && a.entrance === b.entrance;

export class InMemoryCampus implements CampusStore {
  buildings: BuildingRecord[] = [];
  rooms: RoomRecord[] = [];

  /** Buildings with `entrances` × `floors` × 2 rooms, numbered `${entrance}${floor}0${n}`. */
  static standard(codes = ['8', '9'], entrances = 2, floors = 2, capacity = 2): InMemoryCampus {
    const campus = new InMemoryCampus();
    for (const code of codes) {
      campus.buildings.push({
        code,
        name: `Корпус ${code}`,
        floors,
        entrances: Array.from({ length: entrances }, (_, i) => i + 1),
      });
      for (let e = 1; e <= entrances; e++) {
        for (let f = 1; f <= floors; f++) {
          for (let n = 1; n <= 2; n++) {
            campus.rooms.push({
              id: randomUUID(),
              building: code,
              entrance: e,
              floor: f,
              number: `${e}${f}0${n}`,
              capacity,
            });
          }
        }
      }
    }
    return campus;
  }

  room(building: string, number: string): RoomRecord {
    const room = this.rooms.find((r) => r.building === building && r.number === number);
    if (!room) throw new Error(`no room ${building}/${number}`);
    return room;
  }

  async listBuildings() {
    return this.buildings;
  }
  async roomsByIds(ids: readonly string[]) {
    return this.rooms.filter((r) => ids.includes(r.id));
  }
  async roomsOfEntrances(entrances: readonly EntranceRef[]) {
    return this.rooms.filter((r) =>
      entrances.some((e) => sameEntrance(e, { building: r.building, entrance: r.entrance })),
    );
  }
  async findRooms(refs: readonly RoomRef[]) {
    return this.rooms.filter((r) => refs.some((ref) => ref.building === r.building && ref.room === r.number));
  }
  async existingEntrances(refs: readonly EntranceRef[]) {
    return refs.filter((ref) =>
      this.buildings.some((b) => b.code === ref.building && b.entrances.includes(ref.entrance)),
    );
  }
  async addRooms(input: RoomsToAdd) {
    const taken = input.rooms
      .map((r) => r.number)
      .filter((n) => this.rooms.some((r) => r.building === input.building && r.number === n));
    if (taken.length > 0) throw roomNumbersTaken(input.building, taken);
    const highest = Math.max(...input.rooms.map((r) => r.floor));
    let building = this.buildings.find((b) => b.code === input.building);
    if (!building) {
      building = { code: input.building, name: input.buildingName, floors: highest, entrances: [] };
      this.buildings.push(building);
    }
    building.floors = Math.max(building.floors, highest);
    if (!building.entrances.includes(input.entrance)) {
      building.entrances = [...building.entrances, input.entrance].sort((a, b) => a - b);
    }
    const added = input.rooms.map((r) => ({
      id: randomUUID(),
      building: input.building,
      entrance: input.entrance,
      ...r,
    }));
    this.rooms.push(...added);
    return added;
  }
}

interface StoredUser {
  record: UserRecord;
  passwordHash: string;
  throttle: ThrottleState;
}

export class InMemoryUsers implements UserStore {
  readonly rows = new Map<string, StoredUser>();

  constructor(private readonly campus: InMemoryCampus = new InMemoryCampus()) {}

  /** Adds a user directly (bypassing the services), e.g. as a fixture. */
  add(fields: Partial<UserRecord> & { password?: string; room?: RoomRef } = {}): UserRecord {
    const id = fields.id ?? randomUUID();
    const room = fields.room
      ? this.campus.rooms.find((r) => r.building === fields.room?.building && r.number === fields.room.room)
      : undefined;
    const record: UserRecord = {
      id,
      email: fields.email ?? `${id.slice(0, 8)}@sirius.local`,
      phone: fields.phone ?? null,
      firstName: fields.firstName ?? 'Иван',
      lastName: fields.lastName ?? 'Иванов',
      patronymic: fields.patronymic ?? null,
      roles: fields.roles ?? ['student'],
      residence: room
        ? { roomId: room.id, building: room.building, entrance: room.entrance, floor: room.floor, room: room.number }
        : (fields.residence ?? null),
      isMinor: fields.isMinor ?? false,
      isActive: fields.isActive ?? true,
      checkInDate: fields.checkInDate ?? null,
      checkOutDate: fields.checkOutDate ?? null,
      parentContact: fields.parentContact ?? null,
      assignedEntrances: fields.assignedEntrances ?? [],
      createdAt: fields.createdAt ?? new Date('2026-09-01T00:00:00Z'),
    };
    this.rows.set(id, {
      record,
      passwordHash: `hashed:${fields.password ?? 'password1'}`,
      throttle: { ...CLEAR_THROTTLE },
    });
    return record;
  }

  get(id: string): StoredUser {
    const row = this.rows.get(id);
    if (!row) throw new Error(`no user ${id}`);
    return row;
  }

  private matches(u: UserRecord, f: UserFilter): boolean {
    const r = u.residence;
    const words = (f.search ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const text = [u.firstName, u.lastName, u.patronymic ?? '', u.email].join(' ').toLowerCase();
    return (
      (!f.ids || f.ids.includes(u.id)) &&
      (f.building === undefined || r?.building === f.building) &&
      (f.entrance === undefined || r?.entrance === f.entrance) &&
      (f.floor === undefined || r?.floor === f.floor) &&
      (f.room === undefined || r?.room === f.room) &&
      (!f.role || u.roles.includes(f.role)) &&
      (!f.minorsOnly || u.isMinor) &&
      (f.isActive === undefined || u.isActive === f.isActive) &&
      (f.checkOutDateTo === undefined || (!!u.checkOutDate && u.checkOutDate <= f.checkOutDateTo)) &&
      words.every((w) => text.includes(w))
    );
  }

  private sorted(filter: UserFilter): UserRecord[] {
    const key = (u: UserRecord) =>
      [u.residence?.building ?? '~', u.residence?.room ?? '~', u.lastName, u.firstName].join('|');
    return [...this.rows.values()]
      .map((r) => r.record)
      .filter((u) => this.matches(u, filter))
      .sort((a, b) => key(a).localeCompare(key(b)));
  }

  async findByIds(ids: readonly string[]) {
    return ids.flatMap((id) => (this.rows.has(id) ? [this.get(id).record] : []));
  }
  async findActiveByRoomIds(roomIds: readonly string[]) {
    return this.sorted({ isActive: true }).filter((u) => u.residence && roomIds.includes(u.residence.roomId));
  }
  async findActiveByEntrances(entrances: readonly EntranceRef[]) {
    return this.sorted({ isActive: true }).filter((u) => {
      const home = u.residence;
      return home !== null && entrances.some((e) => sameEntrance(e, home));
    });
  }
  async search(filter: UserFilter, window: Window) {
    const all = this.sorted(filter);
    return { items: all.slice(window.skip, window.skip + window.take), total: all.length };
  }
  async list(filter: UserFilter, limit: number) {
    return this.sorted(filter).slice(0, limit);
  }
  /** As the repository: a floor or room is a room's, an entrance its building's, a building a building. */
  async placeExists({ building, entrance, floor, room }: PlaceRef) {
    if (floor !== undefined || room !== undefined) {
      return this.campus.rooms.some(
        (r) =>
          (building === undefined || r.building === building) &&
          (entrance === undefined || r.entrance === entrance) &&
          (floor === undefined || r.floor === floor) &&
          (room === undefined || r.number === room),
      );
    }
    if (building === undefined && entrance === undefined) return true;
    return this.campus.buildings.some(
      (b) =>
        (building === undefined || b.code === building) && (entrance === undefined || b.entrances.includes(entrance)),
    );
  }
  async existingEmails(emails: readonly string[]) {
    return [...this.rows.values()].map((r) => r.record.email).filter((e) => emails.includes(e));
  }
  private credentials(row: StoredUser | undefined): Credentials | null {
    return row
      ? {
          userId: row.record.id,
          passwordHash: row.passwordHash,
          isActive: row.record.isActive,
          throttle: { ...row.throttle },
        }
      : null;
  }
  async findCredentialsByEmail(email: string) {
    return this.credentials([...this.rows.values()].find((r) => r.record.email === email));
  }
  async findCredentialsById(id: string) {
    return this.credentials(this.rows.get(id));
  }
  async updateThrottle(userId: string, expected: ThrottleState, next: ThrottleState) {
    const row = this.get(userId);
    const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
    const t = row.throttle;
    if (
      t.failedAttempts !== expected.failedAttempts ||
      !same(t.firstFailedAt, expected.firstFailedAt) ||
      !same(t.lastFailedAt, expected.lastFailedAt) ||
      !same(t.lockedUntil, expected.lockedUntil)
    ) {
      return false;
    }
    row.throttle = { ...next };
    return true;
  }
  /** Per-client login throttles, by `${userId} ${client}`. */
  readonly clientThrottles = new Map<string, ThrottleState>();
  async findClientThrottle(userId: string, client: string) {
    return { ...(this.clientThrottles.get(`${userId} ${client}`) ?? CLEAR_THROTTLE) };
  }
  async updateClientThrottle(userId: string, client: string, expected: ThrottleState, next: ThrottleState) {
    const key = `${userId} ${client}`;
    const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
    const t = this.clientThrottles.get(key) ?? CLEAR_THROTTLE;
    if (
      t.failedAttempts !== expected.failedAttempts ||
      !same(t.firstFailedAt, expected.firstFailedAt) ||
      !same(t.lastFailedAt, expected.lastFailedAt) ||
      !same(t.lockedUntil, expected.lockedUntil)
    ) {
      return false;
    }
    this.clientThrottles.set(key, { ...next });
    return true;
  }
  async clearClientThrottles(userId: string, client?: string) {
    for (const key of [...this.clientThrottles.keys()]) {
      if (client === undefined ? key.startsWith(`${userId} `) : key === `${userId} ${client}`) {
        this.clientThrottles.delete(key);
      }
    }
  }
  private assertPlace(roomId: string, movingUserId: string | null): void {
    const room = this.campus.rooms.find((r) => r.id === roomId);
    if (!room) throw new Error(`no room ${roomId}`);
    const occupied = [...this.rows.values()].filter(
      (r) => r.record.isActive && r.record.residence?.roomId === roomId && r.record.id !== movingUserId,
    ).length;
    if (occupied >= room.capacity)
      throw roomFull({ building: room.building, room: room.number, capacity: room.capacity });
  }
  private residenceOf(roomId: string | null) {
    const room = this.campus.rooms.find((r) => r.id === roomId);
    return room
      ? { roomId: room.id, building: room.building, entrance: room.entrance, floor: room.floor, room: room.number }
      : null;
  }
  async create(user: NewUser) {
    if ([...this.rows.values()].some((r) => r.record.email === user.email)) throw emailTaken(user.email);
    if (user.roomId) this.assertPlace(user.roomId, null);
    const { passwordHash, roomId, entrances, ...fields } = user;
    const id = randomUUID();
    const record: UserRecord = {
      ...fields,
      id,
      roles: [...user.roles],
      residence: this.residenceOf(roomId),
      isActive: true,
      assignedEntrances: [...entrances],
      createdAt: new Date(),
    };
    this.rows.set(id, { record, passwordHash, throttle: { ...CLEAR_THROTTLE } });
    return record;
  }
  async update(id: string, patch: UserPatch) {
    const row = this.get(id);
    const { roomId, ...fields } = patch;
    const nextRoom = roomId === undefined ? (row.record.residence?.roomId ?? null) : roomId;
    const isActive = patch.isActive ?? row.record.isActive;
    if (nextRoom && isActive && (nextRoom !== row.record.residence?.roomId || !row.record.isActive))
      this.assertPlace(nextRoom, id);
    const defined = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
    row.record = { ...row.record, ...defined, residence: this.residenceOf(nextRoom) };
    return row.record;
  }
  async setRoles(id: string, roles: readonly Role[], entrances: readonly EntranceRef[]) {
    const row = this.get(id);
    row.record = { ...row.record, roles: [...roles], assignedEntrances: [...entrances] };
    return row.record;
  }
  async setPasswordHash(id: string, passwordHash: string) {
    this.get(id).passwordHash = passwordHash;
  }
}

interface StoredToken extends RefreshTokenRecord {
  tokenHash: string;
}

export class InMemoryRefreshTokens implements RefreshTokenStore {
  readonly rows: StoredToken[] = [];
  /** Makes the next rotate() lose the race, as if a concurrent refresh had won it. */
  loseNextRotation = false;

  async insert(token: NewRefreshToken) {
    this.rows.push({ ...token, id: randomUUID(), rotatedAt: null, revokedAt: null });
  }
  async findByHash(tokenHash: string) {
    const row = this.rows.find((r) => r.tokenHash === tokenHash);
    return row ? { ...row } : null;
  }
  async rotate(currentId: string, at: Date, next: NewRefreshToken) {
    const row = this.rows.find((r) => r.id === currentId);
    if (this.loseNextRotation) {
      this.loseNextRotation = false;
      if (row) row.rotatedAt = at;
      return false;
    }
    if (!row || row.rotatedAt || row.revokedAt) return false;
    row.rotatedAt = at;
    await this.insert(next);
    return true;
  }
  private revokeWhere(at: Date, match: (r: StoredToken) => boolean) {
    const rows = this.rows.filter((r) => match(r) && !r.revokedAt);
    for (const r of rows) r.revokedAt = at;
    return rows.length;
  }
  async revokeFamily(familyId: string, at: Date) {
    return this.revokeWhere(at, (r) => r.familyId === familyId);
  }
  async revokeAllOfUser(userId: string, at: Date) {
    return this.revokeWhere(at, (r) => r.userId === userId);
  }
  async deleteExpiredBefore(before: Date) {
    const expired = this.rows.filter((r) => r.expiresAt < before);
    for (const r of expired) this.rows.splice(this.rows.indexOf(r), 1);
    return expired.length;
  }
}

export class InMemorySigningKeys implements SigningKeyStore {
  readonly keys: StoredSigningKey[] = [];
  exclusiveCalls = 0;

  async listUsable(retiredAfter: Date) {
    return this.keys
      .filter((k) => k.retiredAt === null || k.retiredAt > retiredAfter)
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
  }
  async exclusive<T>(fn: (writer: SigningKeyWriter) => Promise<T>) {
    this.exclusiveCalls++;
    return fn({
      findActive: async () => this.keys.filter((k) => k.retiredAt === null).at(-1) ?? null,
      retireActive: async (at) => {
        for (const k of this.keys) if (k.retiredAt === null) k.retiredAt = at;
      },
      insert: async (key) => {
        this.keys.push({ ...key });
      },
    });
  }
}

/** A verified caller as the platform would build it from a token. */
export function caller(user: UserRecord, roles: Role[] = user.roles): AuthContext {
  const r = user.residence;
  return {
    userId: user.id,
    roles,
    residence: r ? { building: r.building, entrance: r.entrance, floor: r.floor, room: r.room } : null,
    isMinor: user.isMinor,
    entrances: user.assignedEntrances,
    token: 'test-token',
  };
}

/** A NewUser for repository tests: a student without a room, with a unique e-mail; override any field. */
export const newUser = (fields: Partial<NewUser> = {}): NewUser => ({
  email: `u${Math.random().toString(36).slice(2)}@sirius.local`,
  passwordHash: 'hashed:x',
  firstName: 'Тест',
  lastName: 'Тестов',
  patronymic: null,
  phone: null,
  roles: ['student'],
  roomId: null,
  isMinor: false,
  checkInDate: null,
  checkOutDate: null,
  parentContact: null,
  entrances: [],
  ...fields,
});
