// The scale seed (npm run seed:scale) on the demo campus, in a fresh, migrated database.
import { createDatabasePool, createPrismaClient } from '@campus/platform';
import { createTestDatabase, type TestDatabase } from '@campus/testkit';
import type pg from 'pg';
import { PrismaClient } from '../../src/repository/database';
import { seedDemoCampus } from '../../src/seed/demo-campus';
import { seedScaleCampus } from '../../src/seed/scale-campus';
import { fakeHasher } from '../support/fakes';

let db: TestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;

const STUDENTS = 300;
const scaleStudents = { email: { startsWith: 'scale.student', endsWith: '@sirius.local' } };

/** Every user with room, roles and throttling columns left out: what the seeds write. */
async function snapshotOfDemo() {
  const users = await prisma.user.findMany({
    where: { NOT: scaleStudents },
    select: {
      id: true,
      email: true,
      passwordHash: true,
      roomId: true,
      isMinor: true,
      isActive: true,
      roles: { select: { role: true }, orderBy: { role: 'asc' } },
    },
    orderBy: { email: 'asc' },
  });
  const rooms = await prisma.room.findMany({ where: { buildingCode: { in: ['8', '9'] } }, orderBy: { id: 'asc' } });
  return { users, rooms };
}

beforeAll(async () => {
  db = await createTestDatabase('identity');
  pool = createDatabasePool(db.url, 3);
  prisma = createPrismaClient(PrismaClient, pool);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

describe('scale seed', () => {
  it('refuses a database without a campus (the demo seed would then never run)', async () => {
    await expect(seedScaleCampus(prisma, { students: 10, password: 'sirius2026', hasher: fakeHasher })).rejects.toThrow(
      /no campus yet/,
    );
    expect(await prisma.building.count()).toBe(0);
  });

  it('adds N students in scale buildings, exactly N however often it runs, leaving the demo alone', async () => {
    await seedDemoCampus(prisma, { password: 'sirius2026', hasher: fakeHasher });
    const demoBefore = await snapshotOfDemo();

    const first = await seedScaleCampus(prisma, { students: STUDENTS, password: 'scale-pass', hasher: fakeHasher });
    expect(first).toMatchObject({ added: STUDENTS, students: STUDENTS, buildingsCreated: first.buildings });
    const second = await seedScaleCampus(prisma, { students: STUDENTS, password: 'scale-pass', hasher: fakeHasher });
    expect(second).toMatchObject({ added: 0, students: STUDENTS, buildingsCreated: 0, rolesGranted: 0 });

    const students = await prisma.user.findMany({
      where: scaleStudents,
      include: { room: true, roles: true },
      orderBy: { email: 'asc' },
    });
    expect(students).toHaveLength(STUDENTS);
    expect(new Set(students.map((s) => s.email)).size).toBe(STUDENTS);
    expect(students[0]?.email).toBe('scale.student0001@sirius.local');
    expect(students.every((s) => s.passwordHash === 'hashed:scale-pass' && s.isActive)).toBe(true);
    expect(students.every((s) => /^S\d+$/.test(s.room?.buildingCode ?? ''))).toBe(true);
    expect(students.every((s) => s.roles.some((r) => r.role === 'student'))).toBe(true);

    const minors = students.filter((s) => s.isMinor);
    expect(minors.length / STUDENTS).toBeGreaterThan(0.25);
    expect(minors.length / STUDENTS).toBeLessThan(0.35);
    expect(minors.every((m) => m.parentName && m.parentPhone)).toBe(true);

    // Every room within its capacity, counting everyone who lives there.
    const overfull = await prisma.$queryRaw<Array<{ number: string }>>`
      SELECT r.number FROM rooms r JOIN users u ON u.room_id = r.id AND u.is_active
      GROUP BY r.id HAVING count(*) > r.capacity`;
    expect(overfull).toEqual([]);

    // Every scale entrance has exactly one head and one patrol, adults living there.
    const entrances = await prisma.entrance.findMany({ where: { buildingCode: { startsWith: 'S' } } });
    expect(entrances).toHaveLength(first.buildings * 4);
    for (const { buildingCode, number } of entrances) {
      for (const role of ['student_head', 'student_patrol'] as const) {
        const holders = students.filter(
          (s) =>
            s.room?.buildingCode === buildingCode && s.room.entrance === number && s.roles.some((r) => r.role === role),
        );
        expect({ buildingCode, number, role, holders: holders.length }).toEqual({
          buildingCode,
          number,
          role,
          holders: 1,
        });
        expect(holders[0]?.isMinor).toBe(false);
      }
    }

    expect(await snapshotOfDemo()).toEqual(demoBefore);
  });

  it('adds only the missing students when asked for more, into free places of the same buildings', async () => {
    const before = await prisma.building.count({ where: { code: { startsWith: 'S' } } });
    const more = await seedScaleCampus(prisma, { students: STUDENTS + 30, password: 'scale-pass', hasher: fakeHasher });
    expect(more).toMatchObject({ added: 30, students: STUDENTS + 30, buildings: before, buildingsCreated: 0 });
    expect(await prisma.user.count({ where: scaleStudents })).toBe(STUDENTS + 30);
  });
});
