import { DomainError } from '@campus/platform';
import { UserService, type CreateUserCommand } from '../../src/services/users.service';
import { InMemoryCampus, InMemoryUsers, caller, fakeHasher } from '../support/fakes';

function setup() {
  const campus = InMemoryCampus.standard(['8', '9'], 2, 2, 2);
  const users = new InMemoryUsers(campus);
  const revoked: string[] = [];
  const service = new UserService({
    users,
    campus,
    hasher: fakeHasher,
    sessions: { revokeAllSessions: async (id) => revoked.push(id) },
  });
  const admin = users.add({ email: 'admin@sirius.local', roles: ['admin'] });
  const educator = users.add({ email: 'educator@sirius.local', roles: ['educator'] });
  const student = users.add({
    email: 'student@sirius.local',
    room: { building: '8', room: '1101' },
    isMinor: true,
    lastName: 'Петров',
  });
  return { campus, users, service, revoked, admin, educator, student };
}

const input = (fields: Partial<CreateUserCommand> = {}): CreateUserCommand => ({
  email: 'new@sirius.local',
  password: 'long-enough',
  firstName: 'Анна',
  lastName: 'Смирнова',
  roles: ['student'],
  isMinor: false,
  ...fields,
});

/** The DomainError `promise` rejects with. */
async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError, but the call succeeded');
}

const PARENT = { name: 'Петрова Анна', phone: '+79160000001' };

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('createUser', () => {
  it('creates a student in an existing room, hashing the password', async () => {
    const { service, admin, users } = setup();
    const user = await service.create(
      caller(admin),
      input({ residence: { building: '9', room: '2201' }, phone: '+79001112233' }),
    );
    expect(user.residence).toMatchObject({ building: '9', entrance: 2, floor: 2, room: '2201' });
    expect(users.get(user.id).passwordHash).toBe('hashed:long-enough');
    expect(user.roles).toEqual(['student']);
  });

  it('is for admins only', async () => {
    const { service, educator, student } = setup();
    expect(await code(service.create(caller(educator), input()))).toBe('FORBIDDEN');
    expect(await code(service.create(caller(student), input()))).toBe('FORBIDDEN');
    expect(await code(service.create(null, input()))).toBe('UNAUTHENTICATED');
  });

  it('enforces the rules on passwords, e-mails, rooms, roles and dates', async () => {
    const { service, admin } = setup();
    const as = caller(admin);
    expect(await code(service.create(as, input({ password: 'short' })))).toBe('AUTH_WEAK_PASSWORD');
    expect(await code(service.create(as, input({ email: 'student@sirius.local' })))).toBe('AUTH_EMAIL_TAKEN');
    expect(await code(service.create(as, input({ residence: { building: '8', room: '9999' } })))).toBe(
      'AUTH_UNKNOWN_ROOM',
    );
    expect(
      await code(service.create(as, input({ roles: ['educator'], residence: { building: '8', room: '1101' } }))),
    ).toBe('AUTH_RESIDENCE_NOT_ALLOWED');
    expect(await code(service.create(as, input({ roles: ['educator', 'student'] })))).toBe(
      'AUTH_INVALID_ROLE_COMBINATION',
    );
    expect(
      await code(service.create(as, input({ roles: ['educator_head'], entrances: [{ building: '8', entrance: 7 }] }))),
    ).toBe('AUTH_UNKNOWN_ENTRANCE');
    const checkInDate = new Date('2026-09-01');
    expect(await code(service.create(as, input({ checkInDate, checkOutDate: new Date('2026-08-01') })))).toBe(
      'AUTH_INVALID_STAY_DATES',
    );
  });

  it('a minor needs a parent contact (VALIDATION_ERROR naming parentContact); with one the minor is created', async () => {
    const { service, admin, users } = setup();
    const refused = await refusal(service.create(caller(admin), input({ isMinor: true })));
    expect(refused).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { fields: { parentContact: expect.any(String) } },
    });
    expect(await refusal(service.create(caller(admin), input({ isMinor: true, parentContact: null })))).toMatchObject({
      code: 'VALIDATION_ERROR',
      details: { fields: { parentContact: expect.any(String) } },
    });
    expect(await users.existingEmails(['new@sirius.local'])).toEqual([]);

    const minor = await service.create(caller(admin), input({ isMinor: true, parentContact: PARENT }));
    expect(minor).toMatchObject({ isMinor: true, parentContact: PARENT });
    // an adult needs none
    expect((await service.create(caller(admin), input({ email: 'adult@sirius.local' }))).parentContact).toBeNull();
  });

  it('refuses a full room', async () => {
    const { service, admin } = setup();
    await service.create(caller(admin), input({ email: 'a@sirius.local', residence: { building: '8', room: '1101' } }));
    expect(
      await code(
        service.create(caller(admin), input({ email: 'b@sirius.local', residence: { building: '8', room: '1101' } })),
      ),
    ).toBe('AUTH_ROOM_FULL');
  });

  it('assigns entrances to an educator_head', async () => {
    const { service, admin } = setup();
    const head = await service.create(
      caller(admin),
      input({ roles: ['educator_head'], entrances: [{ building: '8', entrance: 2 }] }),
    );
    expect(head.assignedEntrances).toEqual([{ building: '8', entrance: 2 }]);
  });
});

describe('updateUser and deactivateUser', () => {
  it('moves a student and clears fields with null', async () => {
    const { service, admin, student } = setup();
    const moved = await service.update(caller(admin), student.id, {
      residence: { building: '8', room: '2101' },
      phone: null,
      email: 'petrov@sirius.local',
    });
    expect(moved.residence?.room).toBe('2101');
    expect(moved.email).toBe('petrov@sirius.local');
    const out = await service.update(caller(admin), student.id, { residence: null });
    expect(out.residence).toBeNull();
  });

  it('keeps the rules across the whole record', async () => {
    const { service, admin, student, users, educator } = setup();
    const head = users.add({ roles: ['student', 'student_head'], room: { building: '8', room: '1102' } });
    expect(await code(service.update(caller(admin), head.id, { residence: null }))).toBe('AUTH_RESIDENCE_REQUIRED');
    expect(await code(service.update(caller(admin), educator.id, { residence: { building: '8', room: '1102' } }))).toBe(
      'AUTH_RESIDENCE_NOT_ALLOWED',
    );
    await service.update(caller(admin), student.id, { checkInDate: new Date('2026-09-01') });
    expect(await code(service.update(caller(admin), student.id, { checkOutDate: new Date('2026-01-01') }))).toBe(
      'AUTH_INVALID_STAY_DATES',
    );
    expect(await code(service.update(caller(admin), student.id, { email: 'educator@sirius.local' }))).toBe(
      'AUTH_EMAIL_TAKEN',
    );
    expect(await code(service.update(caller(admin), 'f0000000-0000-0000-0000-000000000000', {}))).toBe('NOT_FOUND');
  });

  it('keeps a parent contact for every minor: isMinor true without one, or clearing a minor’s, is refused', async () => {
    const { service, admin, users } = setup();
    const as = caller(admin);
    const adult = users.add({ email: 'adult@sirius.local' });
    const minor = users.add({ email: 'minor@sirius.local', isMinor: true, parentContact: PARENT });
    const fieldsOf = async (promise: Promise<unknown>) => (await refusal(promise)).details;

    // becoming a minor without a contact, stored or given
    expect(await fieldsOf(service.update(as, adult.id, { isMinor: true }))).toMatchObject({
      fields: { parentContact: expect.any(String) },
    });
    expect(await fieldsOf(service.update(as, adult.id, { isMinor: true, parentContact: null }))).toMatchObject({
      fields: { parentContact: expect.any(String) },
    });
    // clearing a minor's contact
    expect(await fieldsOf(service.update(as, minor.id, { parentContact: null }))).toMatchObject({
      fields: { parentContact: expect.any(String) },
    });
    expect(users.get(adult.id).record.isMinor).toBe(false);
    expect(users.get(minor.id).record.parentContact).toEqual(PARENT);

    // allowed: a minor with the contact given at once, a minor's contact replaced, an adult's cleared
    expect(await service.update(as, adult.id, { isMinor: true, parentContact: PARENT })).toMatchObject({
      isMinor: true,
      parentContact: PARENT,
    });
    const other = { name: 'Петров Иван', phone: '+79160000002' };
    expect((await service.update(as, minor.id, { parentContact: other })).parentContact).toEqual(other);
    expect(await service.update(as, minor.id, { isMinor: false, parentContact: null })).toMatchObject({
      isMinor: false,
      parentContact: null,
    });
  });

  it('ends the sessions of a user deactivated either way, but never the admin themself', async () => {
    const { service, admin, student, educator, revoked } = setup();
    expect((await service.deactivate(caller(admin), student.id)).isActive).toBe(false);
    await service.update(caller(admin), educator.id, { isActive: false });
    expect(revoked).toEqual([student.id, educator.id]);
    expect(await code(service.deactivate(caller(admin), admin.id))).toBe('AUTH_SELF_LOCKOUT');
    expect(await code(service.update(caller(admin), admin.id, { isActive: false }))).toBe('AUTH_SELF_LOCKOUT');
    expect(await code(service.deactivate(caller(educator), student.id))).toBe('FORBIDDEN');
  });
});

describe('assignRoles', () => {
  it('replaces roles and entrances of an educator_head, keeping entrances when none are given', async () => {
    const { service, admin, educator } = setup();
    const as = caller(admin);
    const head = await service.assignRoles(as, {
      userId: educator.id,
      roles: ['educator', 'educator_head'],
      entrances: [{ building: '9', entrance: 1 }],
    });
    expect(head.roles).toEqual(['educator', 'educator_head']);
    expect(head.assignedEntrances).toEqual([{ building: '9', entrance: 1 }]);
    const kept = await service.assignRoles(as, { userId: educator.id, roles: ['educator_head'] });
    expect(kept.assignedEntrances).toEqual([{ building: '9', entrance: 1 }]);
    const demoted = await service.assignRoles(as, { userId: educator.id, roles: ['educator'] });
    expect(demoted.assignedEntrances).toEqual([]);
  });

  it('refuses invalid combinations and self-demotion', async () => {
    const { service, admin, educator, student } = setup();
    const as = caller(admin);
    expect(await code(service.assignRoles(as, { userId: student.id, roles: ['student', 'educator'] }))).toBe(
      'AUTH_INVALID_ROLE_COMBINATION',
    );
    expect(
      await code(
        service.assignRoles(as, {
          userId: educator.id,
          roles: ['educator'],
          entrances: [{ building: '8', entrance: 1 }],
        }),
      ),
    ).toBe('AUTH_ENTRANCES_NOT_ALLOWED');
    expect(await code(service.assignRoles(as, { userId: admin.id, roles: ['educator'] }))).toBe('AUTH_SELF_LOCKOUT');
    const promoted = await service.assignRoles(as, { userId: student.id, roles: ['student', 'student_patrol'] });
    expect(promoted.roles).toEqual(['student', 'student_patrol']);
  });
});

describe('reading users', () => {
  it('shows a student only themselves and staff anyone; nobody by that id is null', async () => {
    const { service, student, educator } = setup();
    expect((await service.getUser(caller(student), student.id))?.id).toBe(student.id);
    expect(await code(service.getUser(caller(student), educator.id))).toBe('FORBIDDEN');
    expect((await service.getUser(caller(educator), student.id))?.email).toBe('student@sirius.local');
    expect(await service.getUser(caller(educator), 'f0000000-0000-0000-0000-000000000000')).toBeNull();
    expect(await service.me(null)).toBeNull();
    expect((await service.me(caller(student)))?.id).toBe(student.id);
  });

  it('pages filtered lists for staff only, with size ≤ 100', async () => {
    const { service, educator, student } = setup();
    const page = await service.list(caller(educator), { filter: { building: '8' }, page: 1, size: 10 }, 'full');
    expect(page).toMatchObject({ total: 1, page: 1, size: 10, pages: 1 });
    expect(await code(service.list(caller(educator), { filter: {}, page: 1, size: 101 }, 'full'))).toBe(
      'VALIDATION_ERROR',
    );
    expect(await code(service.list(caller(student), { filter: {}, page: 1, size: 10 }, 'full'))).toBe('FORBIDDEN');
    expect(await service.usersByIds([student.id])).toHaveLength(1);
    expect(await service.residentsOfRooms([student.residence?.roomId ?? ''])).toHaveLength(1);
    const home = { building: student.residence?.building ?? '', entrance: student.residence?.entrance ?? 0 };
    expect((await service.residentsOfEntrances([home])).map((u) => u.id)).toEqual([student.id]);
    expect(await service.residentsOfEntrances([{ ...home, entrance: home.entrance + 1 }])).toEqual([]);
  });

  it('exports CSV with a header row for staff', async () => {
    const { service, educator, student, users } = setup();
    users.add({
      email: 'comma@sirius.local',
      lastName: 'Smith, Jr.',
      firstName: '=HYPERLINK("x")',
      room: { building: '8', room: '1102' },
    });
    const csv = await service.exportCsv(caller(educator), { building: '8' });
    expect(csv.startsWith('\uFEFFid,')).toBe(true); // the BOM Excel needs to read UTF-8
    const lines = csv.slice(1).split('\r\n');
    expect(lines[0]).toBe(
      'id,email,lastName,firstName,patronymic,phone,roles,building,entrance,floor,room,isMinor,isActive,checkInDate,checkOutDate,parentName,parentPhone,createdAt',
    );
    expect(lines[1]).toContain(`${student.id},student@sirius.local,Петров,`);
    expect(lines[2]).toContain('"Smith, Jr.","\'=HYPERLINK(""x"")"');
    expect(lines.at(-1)).toBe('');
    expect(await code(service.exportCsv(caller(student), {}))).toBe('FORBIDDEN');
  });
});
