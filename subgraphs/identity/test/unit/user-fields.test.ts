import type { AuthContext, Role } from '@campus/platform';
import { canReadUserField, type ProtectedUserField } from '../../src/domain/user-fields';
import type { UserRecord } from '../../src/domain/users';

const residence = (entrance: number, room: string) => ({
  roomId: `room-${room}`,
  building: '8',
  entrance,
  floor: 1,
  room,
});

const student: UserRecord = {
  id: 'student',
  email: 'student@sirius.local',
  phone: '+79000000001',
  firstName: 'Анна',
  lastName: 'Иванова',
  patronymic: null,
  roles: ['student'],
  residence: residence(1, '1101'),
  isMinor: true,
  isActive: true,
  checkInDate: null,
  checkOutDate: null,
  parentContact: { name: 'Мама', phone: '+79000000002' },
  assignedEntrances: [],
  createdAt: new Date('2026-11-25T10:00:00Z'),
};

const auth = (userId: string, roles: Role[], entrance: number | null = null): AuthContext => ({
  userId,
  roles,
  residence: entrance === null ? null : residence(entrance, `${entrance}999`),
  isMinor: false,
  entrances: [],
  token: 't',
});

const FIELDS: ProtectedUserField[] = [
  'email',
  'phone',
  'isMinor',
  'isActive',
  'checkInDate',
  'checkOutDate',
  'parentContact',
];
const readable = (caller: AuthContext | null, provenSelf = false) =>
  FIELDS.filter((field) => canReadUserField(caller, student, field, provenSelf));

describe('who reads which User field', () => {
  it('gives the user themself and staff every field', () => {
    expect(readable(auth('student', ['student'], 1))).toEqual(FIELDS);
    expect(readable(null, true)).toEqual(FIELDS);
    for (const role of ['educator', 'educator_head', 'admin'] as const) {
      expect(readable(auth('staff', [role]))).toEqual(FIELDS);
    }
  });

  it("gives a head their entrance's room contacts and a patrol its minors, nothing beyond", () => {
    expect(readable(auth('head', ['student', 'student_head'], 1))).toEqual(['email', 'phone', 'isMinor']);
    expect(readable(auth('patrol', ['student', 'student_patrol'], 1))).toEqual(['isMinor']);
    expect(readable(auth('both', ['student', 'student_patrol', 'student_head'], 1))).toEqual([
      'email',
      'phone',
      'isMinor',
    ]);
  });

  it('refuses everything to other students, heads and patrols of other entrances, and strangers', () => {
    expect(readable(auth('other', ['student'], 1))).toEqual([]);
    expect(readable(auth('head', ['student', 'student_head'], 2))).toEqual([]);
    expect(readable(auth('patrol', ['student', 'student_patrol'], 2))).toEqual([]);
    expect(readable(null)).toEqual([]);
    expect(readable(auth('head', ['student', 'student_head'], 1))).not.toContain('parentContact');
  });

  it('refuses a head a user without residence', () => {
    const educator = { ...student, id: 'educator', residence: null, roles: ['educator'] as Role[] };
    expect(canReadUserField(auth('head', ['student', 'student_head'], 1), educator, 'phone')).toBe(false);
  });
});
