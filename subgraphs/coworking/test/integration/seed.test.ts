// The demo seed against a real, freshly migrated campus_coworking: what it writes, that the API
// would accept every coworking it writes, and that it never touches a catalogue that has one.
import { createDatabasePool, createPrismaClient, type DatabasePool } from '@campus/platform';
import { createTestDatabase, type TestDatabase } from '@campus/testkit';
import { PrismaClient } from '../../src/repository/database';
import { createCoworkingSchema } from '../../src/schemas/catalogue';
import { DEMO_COWORKINGS, seedDemoCoworkings } from '../../src/seed/demo-coworkings';
import { seedCoworking } from '../support/seed';

let db: TestDatabase;
let pool: DatabasePool;
let prisma: PrismaClient;

beforeAll(async () => {
  db = await createTestDatabase('coworking');
  pool = createDatabasePool(db.url, 5);
  prisma = createPrismaClient(PrismaClient, pool);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

const byBuildingAndName = (a: { building: string; name: string }, b: { building: string; name: string }) =>
  a.building === b.building ? (a.name < b.name ? -1 : 1) : a.building < b.building ? -1 : 1;
/** The stored catalogue, sorted here (not by the database's collation). */
const catalogue = async () =>
  (
    await prisma.coworking.findMany({
      select: { building: true, name: true, description: true, capacity: true, available: true, version: true },
    })
  ).sort(byBuildingAndName);

it('describes a few Russian-named coworkings per demo building, one unavailable, all valid catalogue input', () => {
  const perBuilding = (b: string) => DEMO_COWORKINGS.filter((c) => c.building === b).length;
  expect(perBuilding('8')).toBeGreaterThanOrEqual(2);
  expect(perBuilding('9')).toBeGreaterThanOrEqual(2);
  expect(new Set(DEMO_COWORKINGS.map((c) => c.building))).toEqual(new Set(['8', '9']));
  expect(DEMO_COWORKINGS.filter((c) => !c.available)).toHaveLength(1);
  for (const c of DEMO_COWORKINGS) {
    expect(c.name).toMatch(/[А-Яа-яЁё]/);
    expect(c.description).toMatch(/[А-Яа-яЁё]/);
    // what createCoworking would store for the same input: trimmed, within limits
    const parsed = createCoworkingSchema.safeParse({ input: c });
    expect(parsed.success && parsed.data.input).toEqual(c);
  }
});

it('seeds nothing while the catalogue already has a coworking', async () => {
  const existing = await seedCoworking(prisma, { building: '8', name: 'Кабинет воспитателя' });
  expect(await seedDemoCoworkings(prisma)).toEqual({ seeded: false, coworkings: 0 });
  expect((await catalogue()).map((c) => c.name)).toEqual(['Кабинет воспитателя']);
  await prisma.coworking.delete({ where: { id: existing.id } });
});

it('fills an empty catalogue once: two seeders at once and a later rerun add nothing more', async () => {
  const results = await Promise.all([seedDemoCoworkings(prisma), seedDemoCoworkings(prisma)]);
  expect(results.map((r) => r.seeded).sort()).toEqual([false, true]);
  expect(results.find((r) => r.seeded)).toEqual({ seeded: true, coworkings: DEMO_COWORKINGS.length });

  const expected = DEMO_COWORKINGS.map((c) => ({ ...c, version: 1 })).sort(byBuildingAndName);
  expect(await catalogue()).toEqual(expected);

  expect(await seedDemoCoworkings(prisma)).toEqual({ seeded: false, coworkings: 0 });
  expect(await prisma.coworking.count()).toBe(DEMO_COWORKINGS.length);
});
