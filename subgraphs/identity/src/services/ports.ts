// What the services need from storage. The Prisma repositories implement these; unit tests use
// in-memory fakes.
import type {
  BuildingRecord,
  Credentials,
  EntranceRef,
  NewRefreshToken,
  NewUser,
  RefreshTokenRecord,
  Role,
  RoomRecord,
  RoomRef,
  SigningKeyRecord,
  ThrottleState,
  UserFilter,
  UserPatch,
  UserRecord,
} from './model';

export interface Window {
  skip: number;
  take: number;
}

/**
 * Users. Lists are ordered by building, room number, last name, first name. Unknown ids are
 * simply absent from results.
 */
export interface UserStore {
  findByIds(ids: readonly string[]): Promise<UserRecord[]>;
  /** Active residents of the given rooms. */
  findActiveByRoomIds(roomIds: readonly string[]): Promise<UserRecord[]>;
  search(filter: UserFilter, window: Window): Promise<{ items: UserRecord[]; total: number }>;
  list(filter: UserFilter, limit: number): Promise<UserRecord[]>;
  /** Which of these (lower-case) e-mails are already registered. */
  existingEmails(emails: readonly string[]): Promise<string[]>;
  findCredentialsByEmail(email: string): Promise<Credentials | null>;
  findCredentialsById(id: string): Promise<Credentials | null>;
  /** Compare-and-set of the login throttle; false when another attempt changed it meanwhile. */
  updateThrottle(userId: string, expected: ThrottleState, next: ThrottleState): Promise<boolean>;
  /**
   * Creates a user atomically. Throws AUTH_EMAIL_TAKEN on a duplicate e-mail and AUTH_ROOM_FULL
   * when the room has no free place (checked under a lock on the room).
   */
  create(user: NewUser): Promise<UserRecord>;
  /** Same guarantees as create for e-mail and room capacity. */
  update(id: string, patch: UserPatch): Promise<UserRecord>;
  setRoles(id: string, roles: readonly Role[], entrances: readonly EntranceRef[]): Promise<UserRecord>;
  setPasswordHash(id: string, passwordHash: string): Promise<void>;
}

/** The campus layout (buildings → entrances → rooms). */
export interface CampusStore {
  listBuildings(): Promise<BuildingRecord[]>;
  roomsByIds(ids: readonly string[]): Promise<RoomRecord[]>;
  /** Rooms of the given entrances, ordered by floor and number. */
  roomsOfEntrances(entrances: readonly EntranceRef[]): Promise<RoomRecord[]>;
  findRooms(refs: readonly RoomRef[]): Promise<RoomRecord[]>;
  /** Which of these entrances exist. */
  existingEntrances(refs: readonly EntranceRef[]): Promise<EntranceRef[]>;
}

export interface RefreshTokenStore {
  insert(token: NewRefreshToken): Promise<void>;
  findByHash(tokenHash: string): Promise<RefreshTokenRecord | null>;
  /**
   * Marks `currentId` rotated and stores its successor, atomically. False (and nothing written)
   * when the token was rotated or revoked meanwhile — i.e. it was used twice concurrently.
   */
  rotate(currentId: string, at: Date, next: NewRefreshToken): Promise<boolean>;
  revokeFamily(familyId: string, at: Date): Promise<number>;
  revokeAllOfUser(userId: string, at: Date): Promise<number>;
  deleteExpiredBefore(before: Date): Promise<number>;
}

/** Key operations that must not interleave between replicas (creation, rotation). */
export interface SigningKeyWriter {
  findActive(): Promise<SigningKeyRecord | null>;
  retireActive(at: Date): Promise<void>;
  insert(key: SigningKeyRecord): Promise<void>;
}

export interface SigningKeyStore {
  /** Keys not retired, or retired after `retiredAfter`, newest first. */
  listUsable(retiredAfter: Date): Promise<SigningKeyRecord[]>;
  /** Runs `fn` holding a cluster-wide lock (one replica at a time). */
  exclusive<T>(fn: (writer: SigningKeyWriter) => Promise<T>): Promise<T>;
}
