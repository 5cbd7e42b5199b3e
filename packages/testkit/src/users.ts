// Who a test acts as: one user shape for access tokens, the identity double and service-level
// AuthContexts, so a test describes a person once.
import { randomBytes, randomUUID } from 'node:crypto';
import type { AuthContext, EntranceRef, Residence, Role } from '@campus/platform';

export interface TestUser {
  id: string;
  roles: Role[];
  residence: Residence | null;
  isMinor: boolean;
  /** Entrances assigned to an educator_head: the token's `entrances`, identity's `assignedEntrances`. */
  entrances: EntranceRef[];
  firstName: string;
  lastName: string;
  email: string;
  isActive: boolean;
}

/** A user with a fresh id; what is not given is a plain default (adult, no residence, active). */
export function testUser(fields: Partial<TestUser> & Pick<TestUser, 'roles'>): TestUser {
  const id = fields.id ?? randomUUID();
  return {
    id,
    residence: null,
    isMinor: false,
    entrances: [],
    firstName: 'Test',
    lastName: `User${randomBytes(2).toString('hex')}`,
    email: `${id}@sirius.local`,
    isActive: true,
    ...fields,
  };
}

/** A residence; the floor is the first digit of the room number, as on campus. */
export const residence = (building: string, entrance: number, room: string): Residence => ({
  building,
  entrance,
  floor: Number(room[0]),
  room,
});

/** An adult student living in building 8, entrance 1, room 301 unless told otherwise. */
export const student = (fields: Partial<TestUser> = {}): TestUser =>
  testUser({ roles: ['student'], residence: residence('8', 1, '301'), ...fields });

/** A member of staff (an educator by default), living off campus. */
export const staff = (role: Role = 'educator', fields: Partial<TestUser> = {}): TestUser =>
  testUser({ roles: [role], ...fields });

/** The AuthContext a service sees for `user`, for service-level tests that verify no token. */
export const authOf = (user: TestUser): AuthContext => ({
  userId: user.id,
  roles: user.roles,
  residence: user.residence,
  isMinor: user.isMinor,
  entrances: user.entrances,
  token: `token-of-${user.id}`,
});
