// The check-out saga's identity step over gRPC with a real database: DeactivateAndVacate deactivates
// a student, ends their sessions and takes them out of their room (once per check-out), whose place
// stays held until FinishCheckOut; ReactivateAndRestore puts back exactly what was changed, and an
// undo that arrives first leaves a tombstone that makes a late DeactivateAndVacate a no-op. Also the
// GetUsers filter check_out_date_to, by which the orchestrator finds a leaving cohort.
import { randomUUID } from 'node:crypto';
import { identityService, type IdentityServiceDefinition } from '@campus/contracts';
import { createDatabasePool, createGrpcClient, createPrismaClient, type GrpcClient } from '@campus/platform';
import {
  authOf,
  createTestDatabase,
  freePort,
  inParallel,
  serviceTestEnv,
  staff,
  TestClock,
  type TestDatabase,
} from '@campus/testkit';
import { startIdentity, type RunningIdentity } from '../../src/app';
import { loadIdentityConfig } from '../../src/config';
import { PrismaCampusRepository } from '../../src/repository/campus.repository';
import { PrismaClient } from '../../src/repository/database';
import { PrismaUserRepository } from '../../src/repository/user.repository';
import { parseStudentCsv } from '../../src/schemas/import-csv';
import { StudentImportService } from '../../src/services/import.service';

// 00:30 on 1 July in Moscow (CAMPUS_TIMEZONE) while still 30 June in UTC: the check-out date is the campus day.
const NOW = '2026-06-30T21:30:00.000Z';
const CAMPUS_TODAY = '2026-07-01';
const BUILDING = '77';

let db: TestDatabase;
let pool: ReturnType<typeof createDatabasePool>;
let prisma: PrismaClient;
let identity: RunningIdentity;
/** Calls as the checkout service, the saga's orchestrator. */
let checkout: GrpcClient<IdentityServiceDefinition>;
/** Calls as another service. */
let leave: GrpcClient<IdentityServiceDefinition>;
let users: PrismaUserRepository;

beforeAll(async () => {
  db = await createTestDatabase('identity');
  pool = createDatabasePool(db.url, 4);
  prisma = createPrismaClient(PrismaClient, pool);
  await prisma.building.create({
    data: { code: BUILDING, name: 'Корпус 77', floors: 5, entrances: { create: [{ number: 1 }] } },
  });
  users = new PrismaUserRepository(prisma, pool);

  const config = loadIdentityConfig({
    ...serviceTestEnv({ databaseUrl: db.url, httpPort: await freePort(), grpcPort: await freePort(), poolSize: 10 }),
    CAMPUS_TIMEZONE: 'Europe/Moscow',
  });
  identity = await startIdentity(config, { clock: new TestClock(NOW) });
  const address = `127.0.0.1:${identity.grpcPort}`;
  checkout = createGrpcClient(identityService, address, { name: 'identity', auth: { service: 'checkout' } });
  leave = createGrpcClient(identityService, address, { name: 'identity', auth: { service: 'leave' } });
});

afterAll(async () => {
  checkout?.$close();
  leave?.$close();
  await identity?.close();
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

let rooms = 0;
async function newRoom(capacity = 2) {
  const number = String(100 + ++rooms);
  return prisma.room.create({ data: { buildingCode: BUILDING, entrance: 1, floor: 1, number, capacity } });
}

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

async function newUser(
  fields: { roomId?: string | null; checkOutDate?: string | null; isActive?: boolean } = {},
  role: 'student' | 'educator' = 'student',
): Promise<string> {
  const user = await prisma.user.create({
    data: {
      email: `${randomUUID()}@test.local`,
      passwordHash: 'not-a-hash',
      firstName: 'Иван',
      lastName: 'Петров',
      roomId: fields.roomId ?? null,
      isActive: fields.isActive ?? true,
      checkInDate: day('2026-01-10'),
      checkOutDate: fields.checkOutDate ? day(fields.checkOutDate) : null,
      roles: { create: [{ role }] },
    },
  });
  return user.id;
}

async function addSessions(userId: string, count: number, revoked = false): Promise<void> {
  for (let i = 0; i < count; i++) {
    await prisma.refreshToken.create({
      data: {
        userId,
        familyId: randomUUID(),
        tokenHash: randomUUID(),
        expiresAt: new Date('2026-07-07T00:00:00Z'),
        revokedAt: revoked ? new Date('2026-06-01T00:00:00Z') : null,
      },
    });
  }
}

const userRow = (id: string) => prisma.user.findUniqueOrThrow({ where: { id } });
const liveSessions = (userId: string) => prisma.refreshToken.count({ where: { userId, revokedAt: null } });

/** A new student (not to be checked out) for `roomId`, through the same repository as createUser. */
const checkIn = (roomId: string) =>
  users.create({
    email: `${randomUUID()}@test.local`,
    passwordHash: 'not-a-hash',
    firstName: 'Анна',
    lastName: 'Смирнова',
    patronymic: null,
    phone: null,
    roles: ['student'],
    roomId,
    isMinor: false,
    checkInDate: null,
    checkOutDate: null,
    parentContact: null,
    entrances: [],
  });

const residenceOf = (room: { id: string; number: string }) => ({
  building: BUILDING,
  entrance: 1,
  floor: 1,
  room: room.number,
  roomId: room.id,
});

describe('DeactivateAndVacate', () => {
  it('deactivates the student as of the campus day, frees the room and revokes every session; a repeat changes nothing', async () => {
    const room = await newRoom();
    const userId = await newUser({ roomId: room.id, checkOutDate: '2026-07-20' });
    await addSessions(userId, 2);
    await addSessions(userId, 1, true);
    const checkoutId = randomUUID();

    const first = await checkout.DeactivateAndVacate({ userId, checkoutId });
    expect(first).toEqual({ userId, previousResidence: residenceOf(room), sessionsRevoked: 2 });
    expect(await userRow(userId)).toMatchObject({ isActive: false, roomId: null, checkOutDate: day(CAMPUS_TODAY) });
    expect(await liveSessions(userId)).toBe(0);
    expect(await prisma.checkoutHold.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      userId,
      roomId: room.id,
      previousIsActive: true,
      previousCheckOutDate: day('2026-07-20'),
      sessionsRevoked: 2,
      status: 'held',
    });

    // A sign-in after the first call: a repeat must not revoke it (no second effect).
    await addSessions(userId, 1);
    expect(await checkout.DeactivateAndVacate({ userId, checkoutId })).toEqual(first);
    expect(await liveSessions(userId)).toBe(1);
    expect(await prisma.checkoutHold.count({ where: { userId } })).toBe(1);
  });

  it('answers NOT_FOUND for an unknown user and AUTH_CHECKOUT_NOT_STUDENT for staff, changing nothing', async () => {
    const checkoutId = randomUUID();
    await expect(checkout.DeactivateAndVacate({ userId: randomUUID(), checkoutId })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      kind: 'NOT_FOUND',
    });
    const educator = await newUser({}, 'educator');
    await addSessions(educator, 1);
    // CONFLICT is sent as gRPC FAILED_PRECONDITION.
    await expect(checkout.DeactivateAndVacate({ userId: educator, checkoutId })).rejects.toMatchObject({
      code: 'AUTH_CHECKOUT_NOT_STUDENT',
      kind: 'CONFLICT',
    });
    expect(await userRow(educator)).toMatchObject({ isActive: true });
    expect(await liveSessions(educator)).toBe(1);
    expect(await prisma.checkoutHold.count({ where: { checkoutId } })).toBe(0);
  });

  it('refuses ids that are not UUIDs with VALIDATION_ERROR', async () => {
    await expect(checkout.DeactivateAndVacate({ userId: 'nobody', checkoutId: randomUUID() })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
    });
    await expect(checkout.FinishCheckOut({ checkoutId: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });

  it('has one effect when the same check-out arrives several times at once', async () => {
    const room = await newRoom();
    const userId = await newUser({ roomId: room.id });
    await addSessions(userId, 3);
    const checkoutId = randomUUID();

    const answers = await inParallel(6, 6, () => checkout.DeactivateAndVacate({ userId, checkoutId }));
    for (const answer of answers)
      expect(answer).toEqual({ userId, previousResidence: residenceOf(room), sessionsRevoked: 3 });
    expect(await prisma.checkoutHold.count({ where: { userId } })).toBe(1);
  });

  it('answers an empty result for a student without a room and no sessions', async () => {
    const userId = await newUser();
    expect(await checkout.DeactivateAndVacate({ userId, checkoutId: randomUUID() })).toEqual({
      userId,
      previousResidence: null,
      sessionsRevoked: 0,
    });
  });
});

describe('ReactivateAndRestore', () => {
  it('puts the student back (active, previous check-out date, held room), once; sessions stay revoked', async () => {
    const room = await newRoom();
    const userId = await newUser({ roomId: room.id, checkOutDate: '2026-08-31' });
    await addSessions(userId, 1);
    const checkoutId = randomUUID();
    await checkout.DeactivateAndVacate({ userId, checkoutId });

    const first = await checkout.ReactivateAndRestore({ checkoutId });
    expect(first).toEqual({ userId, residence: residenceOf(room) });
    expect(await userRow(userId)).toMatchObject({ isActive: true, roomId: room.id, checkOutDate: day('2026-08-31') });
    expect(await liveSessions(userId)).toBe(0);
    expect(await prisma.checkoutHold.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      status: 'restored',
      restoredAt: new Date(NOW),
    });

    // An edit after the undo is not overwritten by a repeat.
    await prisma.user.update({ where: { id: userId }, data: { checkOutDate: day('2026-09-01') } });
    expect(await checkout.ReactivateAndRestore({ checkoutId })).toEqual(first);
    expect(await userRow(userId)).toMatchObject({ checkOutDate: day('2026-09-01') });
    // Nor does a late repeat of the forward call deactivate again.
    expect(await checkout.DeactivateAndVacate({ userId, checkoutId })).toMatchObject({ userId });
    expect(await userRow(userId)).toMatchObject({ isActive: true, roomId: room.id });
  });

  it('leaves a tombstone when nothing was done, so a late DeactivateAndVacate changes nothing', async () => {
    const room = await newRoom();
    const userId = await newUser({ roomId: room.id });
    await addSessions(userId, 1);
    const checkoutId = randomUUID();

    expect(await checkout.ReactivateAndRestore({ checkoutId })).toEqual({ userId: '', residence: null });
    expect(await prisma.checkoutHold.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      userId: null,
      status: 'restored',
    });
    expect(await checkout.ReactivateAndRestore({ checkoutId })).toEqual({ userId: '', residence: null });

    expect(await checkout.DeactivateAndVacate({ userId, checkoutId })).toEqual({
      userId: '',
      previousResidence: null,
      sessionsRevoked: 0,
    });
    expect(await userRow(userId)).toMatchObject({ isActive: true, roomId: room.id });
    expect(await liveSessions(userId)).toBe(1);
    expect(await checkout.FinishCheckOut({ checkoutId })).toEqual({ roomReleased: false });
  });

  it('refuses to undo a finished check-out with AUTH_CHECKOUT_FINISHED', async () => {
    const room = await newRoom();
    const userId = await newUser({ roomId: room.id });
    const checkoutId = randomUUID();
    await checkout.DeactivateAndVacate({ userId, checkoutId });
    await checkout.FinishCheckOut({ checkoutId });

    await expect(checkout.ReactivateAndRestore({ checkoutId })).rejects.toMatchObject({
      code: 'AUTH_CHECKOUT_FINISHED',
      kind: 'CONFLICT',
    });
    expect(await userRow(userId)).toMatchObject({ isActive: false, roomId: null });
  });
});

describe('FinishCheckOut', () => {
  it('releases the held place once; a repeat, or a finish after an undo, releases nothing', async () => {
    const room = await newRoom();
    const userId = await newUser({ roomId: room.id });
    const checkoutId = randomUUID();
    await checkout.DeactivateAndVacate({ userId, checkoutId });

    expect(await checkout.FinishCheckOut({ checkoutId })).toEqual({ roomReleased: true });
    expect(await prisma.checkoutHold.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      status: 'finished',
      finishedAt: new Date(NOW),
    });
    expect(await checkout.FinishCheckOut({ checkoutId })).toEqual({ roomReleased: false });
    expect(await checkout.FinishCheckOut({ checkoutId: randomUUID() })).toEqual({ roomReleased: false });

    const undone = randomUUID();
    const other = await newUser({ roomId: (await newRoom()).id });
    await checkout.DeactivateAndVacate({ userId: other, checkoutId: undone });
    await checkout.ReactivateAndRestore({ checkoutId: undone });
    expect(await checkout.FinishCheckOut({ checkoutId: undone })).toEqual({ roomReleased: false });
    expect(await userRow(other)).toMatchObject({ isActive: true });
  });

  it('releases no place for a student who had no room', async () => {
    const userId = await newUser();
    const checkoutId = randomUUID();
    await checkout.DeactivateAndVacate({ userId, checkoutId });
    expect(await checkout.FinishCheckOut({ checkoutId })).toEqual({ roomReleased: false });
  });
});

describe('the held room place', () => {
  it('is not given to another student while held (new user, move, CSV import), and is after FinishCheckOut', async () => {
    const room = await newRoom(2);
    const leaving = await newUser({ roomId: room.id });
    await newUser({ roomId: room.id });
    const elsewhere = await newUser({ roomId: (await newRoom()).id });
    const checkoutId = randomUUID();
    await checkout.DeactivateAndVacate({ userId: leaving, checkoutId });

    await expect(checkIn(room.id)).rejects.toMatchObject({ code: 'AUTH_ROOM_FULL' });
    await expect(users.update(elsewhere, { roomId: room.id })).rejects.toMatchObject({ code: 'AUTH_ROOM_FULL' });
    const imports = new StudentImportService({
      users,
      campus: new PrismaCampusRepository(prisma, pool),
      hasher: { hash: async (p) => `hashed:${p}`, verify: async () => false },
      readFile: parseStudentCsv,
    });
    const csv = `email,lastName,firstName,building,room\n${randomUUID()}@test.local,Орлова,Мария,${BUILDING},${room.number}\n`;
    const report = await imports.importStudents(authOf(staff('admin')), csv);
    expect(report).toMatchObject({
      imported: 0,
      failed: 1,
      errors: [expect.objectContaining({ code: 'AUTH_ROOM_FULL' })],
    });

    await checkout.FinishCheckOut({ checkoutId });
    expect((await checkIn(room.id)).residence).toMatchObject({ roomId: room.id });
  });

  it('is the restored student’s again after ReactivateAndRestore', async () => {
    const room = await newRoom(1);
    const leaving = await newUser({ roomId: room.id });
    const checkoutId = randomUUID();
    await checkout.DeactivateAndVacate({ userId: leaving, checkoutId });
    await expect(checkIn(room.id)).rejects.toMatchObject({ code: 'AUTH_ROOM_FULL' });

    await checkout.ReactivateAndRestore({ checkoutId });
    expect(await prisma.user.count({ where: { roomId: room.id, isActive: true } })).toBe(1);
    await expect(checkIn(room.id)).rejects.toMatchObject({ code: 'AUTH_ROOM_FULL' });
  });
});

describe('who may call', () => {
  it('refuses the saga steps to any service but checkout (FORBIDDEN); the directory stays open', async () => {
    const userId = await newUser();
    const checkoutId = randomUUID();
    const forbidden = { code: 'FORBIDDEN', kind: 'FORBIDDEN' };
    await expect(leave.DeactivateAndVacate({ userId, checkoutId })).rejects.toMatchObject(forbidden);
    await expect(leave.ReactivateAndRestore({ checkoutId })).rejects.toMatchObject(forbidden);
    await expect(leave.FinishCheckOut({ checkoutId })).rejects.toMatchObject(forbidden);
    expect(await prisma.checkoutHold.count({ where: { checkoutId } })).toBe(0);
    expect(await userRow(userId)).toMatchObject({ isActive: true });

    expect((await leave.GetUsers({ ids: [userId] })).users.map((u) => u.id)).toEqual([userId]);
  });
});

describe('GetUsers check_out_date_to', () => {
  it('keeps users whose check-out date is on or before the date; none without a date', async () => {
    const early = await newUser({ checkOutDate: '2026-06-30' });
    const onTheDay = await newUser({ checkOutDate: '2026-07-15' });
    const later = await newUser({ checkOutDate: '2026-07-16' });
    const undated = await newUser();
    const ids = [early, onTheDay, later, undated];
    const found = async (date: string) =>
      (await leave.GetUsers({ ids, checkOutDateTo: date })).users.map((u) => u.id).sort();

    expect(await found('2026-07-15')).toEqual([early, onTheDay].sort());
    expect(await found('2026-06-29')).toEqual([]);
    expect((await leave.GetUsers({ ids })).users).toHaveLength(4);
  });

  it.each(['2026-02-30', '01.07.2026', 'soon', ''])('refuses %j with VALIDATION_ERROR', async (date) => {
    await expect(leave.GetUsers({ checkOutDateTo: date })).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      details: expect.objectContaining({ fields: expect.objectContaining({ checkOutDateTo: expect.any(String) }) }),
    });
  });
});
