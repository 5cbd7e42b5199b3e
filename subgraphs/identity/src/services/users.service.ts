// Profiles, listings, the CSV export and user administration.
import {
  pageOf,
  pageRequest,
  requireRole,
  STAFF_ROLES,
  type AuthContext,
  type EntranceRef,
  type Page,
  type Role,
} from '@campus/platform';
import { assertCanViewUser } from '../domain/access';
import type { RoomRef } from '../domain/campus';
import { toCsv, type CsvSeparator, type CsvValue } from '../domain/csv';
import { emailTaken, IdentityErrors, unknownRoom, userNotFound } from '../domain/errors';
import { EXPORT_MAX_ROWS } from '../domain/limits';
import { assertPasswordPolicy } from '../domain/passwords';
import { distinctEntrances, validateRoleAssignment } from '../domain/roles';
import { isoDate } from '../domain/time';
import {
  assertParentContactOfMinor,
  assertStayDates,
  type ParentContact,
  type UserDetail,
  type UserFilter,
  type UserOfDetail,
  type UserPatch,
  type UserRecord,
  type UserSummary,
} from '../domain/users';
import type { CampusStore, PasswordHasher, UserStore } from './ports';

type Caller = AuthContext | null | undefined;

export interface UserServiceDeps {
  users: UserStore;
  campus: CampusStore;
  hasher: PasswordHasher;
  sessions: { revokeAllSessions(userId: string): Promise<unknown> };
}

export interface CreateUserCommand {
  email: string;
  password: string;
  firstName: string;
  lastName: string;
  patronymic?: string | null;
  phone?: string | null;
  roles: readonly Role[];
  residence?: RoomRef | null;
  isMinor: boolean;
  checkInDate?: Date | null;
  checkOutDate?: Date | null;
  parentContact?: ParentContact | null;
  entrances?: readonly EntranceRef[] | null;
}

/** Absent fields stay; null clears. */
export interface UpdateUserCommand {
  email?: string;
  firstName?: string;
  lastName?: string;
  patronymic?: string | null;
  phone?: string | null;
  residence?: RoomRef | null;
  isMinor?: boolean;
  isActive?: boolean;
  checkInDate?: Date | null;
  checkOutDate?: Date | null;
  parentContact?: ParentContact | null;
}

export interface AssignRolesCommand {
  userId: string;
  roles: readonly Role[];
  /** Replaces the assigned entrances; absent keeps them (while the user stays an educator_head). */
  entrances?: readonly EntranceRef[] | null;
}

const EXPORT_COLUMNS: ReadonlyArray<{ header: string; value: (u: UserRecord) => CsvValue }> = [
  { header: 'id', value: (u) => u.id },
  { header: 'email', value: (u) => u.email },
  { header: 'lastName', value: (u) => u.lastName },
  { header: 'firstName', value: (u) => u.firstName },
  { header: 'patronymic', value: (u) => u.patronymic },
  { header: 'phone', value: (u) => u.phone },
  { header: 'roles', value: (u) => u.roles.join(' ') },
  { header: 'building', value: (u) => u.residence?.building },
  { header: 'entrance', value: (u) => u.residence?.entrance },
  { header: 'floor', value: (u) => u.residence?.floor },
  { header: 'room', value: (u) => u.residence?.room },
  { header: 'isMinor', value: (u) => u.isMinor },
  { header: 'isActive', value: (u) => u.isActive },
  { header: 'checkInDate', value: (u) => (u.checkInDate ? isoDate(u.checkInDate) : null) },
  { header: 'checkOutDate', value: (u) => (u.checkOutDate ? isoDate(u.checkOutDate) : null) },
  { header: 'parentName', value: (u) => u.parentContact?.name },
  { header: 'parentPhone', value: (u) => u.parentContact?.phone },
  { header: 'createdAt', value: (u) => u.createdAt.toISOString() },
];

export class UserService {
  constructor(private readonly deps: UserServiceDeps) {}

  /** The caller's own profile; null when not signed in. */
  async me(auth: Caller): Promise<UserRecord | null> {
    return auth ? this.find(auth.userId) : null;
  }

  /** One user by id; null when there is none (as every single-item query of the graph answers). */
  async getUser(auth: Caller, id: string): Promise<UserRecord | null> {
    assertCanViewUser(auth, id);
    return this.find(id);
  }

  /** Batch read for entity resolution; visibility of sensitive fields is decided per field. */
  usersByIds(ids: readonly string[]): Promise<UserRecord[]> {
    return this.deps.users.findByIds(ids);
  }

  /** Residents are read as summaries (names and rooms are what a campus tree shows). */
  residentsOfRooms(roomIds: readonly string[]): Promise<UserSummary[]> {
    return this.deps.users.findActiveByRoomIds(roomIds);
  }

  /** Batch read of whole entrances' residents; who may see them is decided per room by the caller. */
  residentsOfEntrances(entrances: readonly EntranceRef[]): Promise<UserSummary[]> {
    return this.deps.users.findActiveByEntrances(entrances);
  }

  /** A page of users; `detail` 'summary' when the caller shows nothing beyond names, rooms and flags. */
  async list<D extends UserDetail>(
    auth: Caller,
    query: { filter: UserFilter; page?: number | null; size?: number | null },
    detail: D,
  ): Promise<Page<UserOfDetail<D>>> {
    requireRole(auth, ...STAFF_ROLES);
    const request = pageRequest(query.page, query.size);
    const { items, total } = await this.deps.users.search(query.filter, request, detail);
    return pageOf(items, total, request);
  }

  async exportCsv(auth: Caller, filter: UserFilter, separator: CsvSeparator = ','): Promise<string> {
    requireRole(auth, ...STAFF_ROLES);
    const users = await this.deps.users.list(filter, EXPORT_MAX_ROWS + 1, 'full');
    if (users.length > EXPORT_MAX_ROWS) {
      throw IdentityErrors.error('EXPORT_TOO_LARGE', `More than ${EXPORT_MAX_ROWS} users match; narrow the filter`, {
        maxRows: EXPORT_MAX_ROWS,
      });
    }
    return toCsv(EXPORT_COLUMNS, users, separator);
  }

  async create(auth: Caller, input: CreateUserCommand): Promise<UserRecord> {
    requireRole(auth, 'admin');
    assertPasswordPolicy(input.password);
    assertStayDates(input.checkInDate, input.checkOutDate);
    assertParentContactOfMinor(input.isMinor, input.parentContact);
    const entrances = distinctEntrances(input.entrances ?? []);
    const roles = validateRoleAssignment({ roles: input.roles, entrances, hasResidence: !!input.residence });
    await this.assertEntrancesExist(entrances);
    const roomId = input.residence ? await this.resolveRoomId(input.residence) : null;
    await this.assertEmailFree(input.email);
    return this.deps.users.create({
      email: input.email,
      passwordHash: await this.deps.hasher.hash(input.password),
      firstName: input.firstName,
      lastName: input.lastName,
      patronymic: input.patronymic ?? null,
      phone: input.phone ?? null,
      roles,
      roomId,
      isMinor: input.isMinor,
      checkInDate: input.checkInDate ?? null,
      checkOutDate: input.checkOutDate ?? null,
      parentContact: input.parentContact ?? null,
      entrances,
    });
  }

  async update(auth: Caller, id: string, input: UpdateUserCommand): Promise<UserRecord> {
    const caller = requireRole(auth, 'admin');
    if (input.isActive === false && id === caller.userId) throw selfLockout('You cannot deactivate your own account');
    const current = await this.require(id);
    const hasResidence = input.residence === undefined ? current.residence !== null : input.residence !== null;
    validateRoleAssignment({ roles: current.roles, entrances: current.assignedEntrances, hasResidence });
    assertStayDates(
      input.checkInDate === undefined ? current.checkInDate : input.checkInDate,
      input.checkOutDate === undefined ? current.checkOutDate : input.checkOutDate,
    );
    // Checked when the update touches either field, so a record stored before the rule (a minor
    // without a contact) can still be corrected field by field.
    if (input.isMinor !== undefined || input.parentContact !== undefined) {
      assertParentContactOfMinor(
        input.isMinor ?? current.isMinor,
        input.parentContact === undefined ? current.parentContact : input.parentContact,
      );
    }
    if (input.email !== undefined && input.email !== current.email) await this.assertEmailFree(input.email);
    const { residence, ...fields } = input;
    const patch: UserPatch = { ...fields };
    if (residence !== undefined) patch.roomId = residence ? await this.resolveRoomId(residence) : null;
    const updated = await this.deps.users.update(id, patch);
    if (current.isActive && !updated.isActive) await this.deps.sessions.revokeAllSessions(id);
    return updated;
  }

  async assignRoles(auth: Caller, command: AssignRolesCommand): Promise<UserRecord> {
    const caller = requireRole(auth, 'admin');
    if (command.userId === caller.userId && !command.roles.includes('admin')) {
      throw selfLockout('You cannot remove your own admin role');
    }
    const current = await this.require(command.userId);
    const keptEntrances = command.roles.includes('educator_head') ? current.assignedEntrances : [];
    const entrances = distinctEntrances(command.entrances ?? keptEntrances);
    const roles = validateRoleAssignment({ roles: command.roles, entrances, hasResidence: current.residence !== null });
    await this.assertEntrancesExist(entrances);
    return this.deps.users.setRoles(command.userId, roles, entrances);
  }

  /** Deactivated users cannot sign in; their sessions end now. Reactivate with updateUser. */
  async deactivate(auth: Caller, id: string): Promise<UserRecord> {
    const caller = requireRole(auth, 'admin');
    if (id === caller.userId) throw selfLockout('You cannot deactivate your own account');
    await this.require(id);
    const updated = await this.deps.users.update(id, { isActive: false });
    await this.deps.sessions.revokeAllSessions(id);
    return updated;
  }

  private async find(id: string): Promise<UserRecord | null> {
    return (await this.deps.users.findByIds([id]))[0] ?? null;
  }

  private async require(id: string): Promise<UserRecord> {
    const user = await this.find(id);
    if (!user) throw userNotFound(id);
    return user;
  }

  private async resolveRoomId(ref: RoomRef): Promise<string> {
    const [room] = await this.deps.campus.findRooms([ref]);
    if (!room) throw unknownRoom(ref);
    return room.id;
  }

  private async assertEntrancesExist(entrances: readonly EntranceRef[]): Promise<void> {
    if (entrances.length === 0) return;
    const existing = await this.deps.campus.existingEntrances(entrances);
    const missing = entrances.filter(
      (e) => !existing.some((x) => x.building === e.building && x.entrance === e.entrance),
    );
    if (missing.length > 0) {
      const list = missing.map((e) => `${e.building}/${e.entrance}`).join(', ');
      throw IdentityErrors.error('UNKNOWN_ENTRANCE', `No such entrance: ${list}`, { entrances: missing });
    }
  }

  private async assertEmailFree(email: string): Promise<void> {
    if ((await this.deps.users.existingEmails([email])).length > 0) throw emailTaken(email);
  }
}

const selfLockout = (message: string) => IdentityErrors.error('SELF_LOCKOUT', message);
