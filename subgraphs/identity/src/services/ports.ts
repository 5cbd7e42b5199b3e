// What the use cases need from the outside world. The Prisma repositories, the argon2 hasher, the
// JWT signer and the key generator implement these; unit tests use in-memory fakes.
import type { AuthContext, EntranceRef, Role } from '@campus/platform';
import type { BuildingRecord, PlaceRef, RoomRecord, RoomRef, RoomsToAdd } from '../domain/campus';
import type { RestoreResult, VacateResult } from '../domain/checkout';
import type { NewRefreshToken, RefreshTokenRecord } from '../domain/sessions';
import type { SigningKeyRecord, StoredSigningKey } from '../domain/signing-keys';
import type { StudentCsvRow } from '../domain/student-import';
import type { ThrottleState } from '../domain/throttle';
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
  findActiveByRoomIds(roomIds: readonly string[]): Promise<UserSummary[]>;
  /** Active residents of every room of the given entrances. */
  findActiveByEntrances(entrances: readonly EntranceRef[]): Promise<UserSummary[]>;
  search<D extends UserDetail>(
    filter: UserFilter,
    window: Window,
    detail: D,
  ): Promise<{ items: Array<UserOfDetail<D>>; total: number }>;
  list<D extends UserDetail>(filter: UserFilter, limit: number, detail: D): Promise<Array<UserOfDetail<D>>>;
  /**
   * Whether the layout has the place the filters of `list` name (true when they name none): tells
   * an empty list of a real entrance from one of an entrance that does not exist. Here rather than
   * on CampusStore because it answers for this store's filters, next to the directory's reads.
   */
  placeExists(place: PlaceRef): Promise<boolean>;
  /** Which of these (lower-case) e-mails are already registered. */
  existingEmails(emails: readonly string[]): Promise<string[]>;
  findCredentialsByEmail(email: string): Promise<Credentials | null>;
  findCredentialsById(id: string): Promise<Credentials | null>;
  /** Compare-and-set of the account-wide login throttle; false when another attempt changed it meanwhile. */
  updateThrottle(userId: string, expected: ThrottleState, next: ThrottleState): Promise<boolean>;
  /** The login throttle of the account from one client; CLEAR_THROTTLE when none is stored. */
  findClientThrottle(userId: string, client: string): Promise<ThrottleState>;
  /** Compare-and-set of that throttle (a clear `expected` also matches "none stored"); false on a race. */
  updateClientThrottle(userId: string, client: string, expected: ThrottleState, next: ThrottleState): Promise<boolean>;
  /** Forgets the account's per-client throttles: of one client, or of all when `client` is absent. */
  clearClientThrottles(userId: string, client?: string): Promise<void>;
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
  /**
   * Adds the rooms in one transaction, creating the building (with `buildingName`) and the entrance
   * when new, and raising the building's floors to the highest floor of its rooms. Room numbers are
   * unique within a building (the database's constraint): when any is taken, throws
   * AUTH_ROOM_NUMBER_TAKEN naming every taken one, and nothing is written. Answers the rooms added.
   */
  addRooms(rooms: RoomsToAdd): Promise<RoomRecord[]>;
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
  findActive(): Promise<StoredSigningKey | null>;
  retireActive(at: Date): Promise<void>;
  insert(key: SigningKeyRecord): Promise<void>;
}

export interface SigningKeyStore {
  /** Keys not retired, or retired after `retiredAfter`, newest first. */
  listUsable(retiredAfter: Date): Promise<StoredSigningKey[]>;
  /** Runs `fn` holding a cluster-wide lock (one replica at a time). */
  exclusive<T>(fn: (writer: SigningKeyWriter) => Promise<T>): Promise<T>;
}

/** Makes a fresh key pair created at `now` (adapters/signing-key-crypto.ts). */
export type SigningKeyGenerator = (now: Date) => Promise<SigningKeyRecord>;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  /** False for a wrong password and for a hash that cannot be parsed. */
  verify(passwordHash: string, password: string): Promise<boolean>;
}

export interface IssuedAccessToken {
  token: string;
  expiresAt: Date;
}

/** Signs access tokens for a user (adapters/jwt-access-tokens.ts). */
export interface AccessTokenIssuer {
  issue(user: UserRecord): Promise<IssuedAccessToken>;
}

/** Checks an access token: the caller it names, or UNAUTHENTICATED with details.reason. */
export interface AccessTokenVerifier {
  verify(token: string): Promise<AuthContext>;
}

/**
 * Reads an import file into rows (schemas/import-csv.ts, wired in app.ts): a file-level problem
 * throws VALIDATION_ERROR, a bad row is reported on that row.
 */
export type StudentFileReader = (text: string) => StudentCsvRow[];

/** Where security-relevant events are reported (the service's logger). */
export interface SecurityLog {
  warn(details: object, message: string): void;
}

/** What DeactivateAndVacate found: what it did (or had done, on a repeat), or why it did nothing. */
export type VacateOutcome =
  | { kind: 'vacated'; result: VacateResult }
  | { kind: 'not_found' }
  | { kind: 'not_eligible'; user: UserRecord };

export type RestoreOutcome = { kind: 'restored'; result: RestoreResult } | { kind: 'finished' };

/**
 * Identity's footprint of the check-out saga (checkout_holds), idempotent by checkout id: each call
 * is one transaction, serialized with the other calls of the same check-out.
 */
export interface CheckoutStore {
  /**
   * Once per check-out (a repeat answers what the first did; after an undo that came first, nothing):
   * unless the user is unknown or not `eligible`, deactivates them with check-out date
   * `checkOutDate`, takes them out of their room (whose place stays held), revokes every refresh
   * token and records the previous values.
   */
  vacate(input: {
    userId: string;
    checkoutId: string;
    checkOutDate: Date;
    at: Date;
    eligible: (user: UserRecord) => boolean;
  }): Promise<VacateOutcome>;
  /**
   * Undoes vacate: the previous activity, check-out date and room (its place was held). Without a
   * hold, records a tombstone so a late vacate does nothing. A finished check-out is not undone.
   */
  restore(input: { checkoutId: string; at: Date }): Promise<RestoreOutcome>;
  /** Ends a held check-out; true when a room place was released by this call. */
  finish(input: { checkoutId: string; at: Date }): Promise<boolean>;
}
