// The identity domain as the services see it: plain data, independent of Prisma and of transports.
import type { EntranceRef, Role } from '@campus/platform';
import type { JWK } from 'jose';

export type { EntranceRef, Role };

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

export interface BuildingRecord {
  code: string;
  name: string;
  floors: number;
  /** Entrance numbers, ascending. */
  entrances: number[];
}

export interface RoomRecord {
  id: string;
  building: string;
  entrance: number;
  floor: number;
  number: string;
  capacity: number;
}

/** A room named the way people name it: building code and room number. */
export interface RoomRef {
  building: string;
  room: string;
}

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
}

export interface ThrottleState {
  failedAttempts: number;
  firstFailedAt: Date | null;
  lastFailedAt: Date | null;
  lockedUntil: Date | null;
}

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

export interface RefreshTokenRecord {
  id: string;
  userId: string;
  familyId: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewRefreshToken {
  userId: string;
  familyId: string;
  tokenHash: string;
  expiresAt: Date;
}

export interface SigningKeyRecord {
  kid: string;
  algorithm: string;
  publicJwk: JWK;
  privateJwk: JWK;
  createdAt: Date;
  retiredAt: Date | null;
}

/** What a successful login or refresh hands to the client. */
export interface Session {
  accessToken: string;
  accessExpiresAt: Date;
  refreshToken: string;
  refreshExpiresAt: Date;
  user: UserRecord;
}

export interface ImportRowError {
  row: number;
  email: string | null;
  code: string;
  message: string;
}

export interface ImportReport {
  total: number;
  imported: number;
  failed: number;
  errors: ImportRowError[];
  users: UserRecord[];
}

/** "Фамилия Имя Отчество": the order Russian documents use. */
export const fullNameOf = (user: Pick<UserRecord, 'lastName' | 'firstName' | 'patronymic'>): string =>
  [user.lastName, user.firstName, user.patronymic].filter(Boolean).join(' ');
