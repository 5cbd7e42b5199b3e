// The reads of many users (search, list, residents, entity lookups) and of the campus layout are
// hand-written SQL on the pool: they must answer exactly what the plain ORM reading answers — same
// users and rooms, same order (ties included), same totals — on the demo campus plus a room of
// look-alikes.
import { createDatabasePool, createPrismaClient, type Role } from '@campus/platform';
import { createTestDatabase, type TestDatabase } from '@campus/testkit';
import type pg from 'pg';
import type { NewUser, UserFilter, UserRecord, UserSummary } from '../../src/domain/users';
import { onlyUuids, PrismaClient, type Prisma } from '../../src/repository/database';
import { PrismaCampusRepository } from '../../src/repository/campus.repository';
import { toUserRecord, userInclude } from '../../src/repository/user.mapper';
import { escapeLikePattern, PrismaUserRepository } from '../../src/repository/user.repository';
import type { RoomPlan } from '../../src/seed/campus-plan';
import { seedDemoCampus } from '../../src/seed/demo-campus';
import { fakeHasher, newUser as testUser } from '../support/fakes';

let db: TestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
let users: PrismaUserRepository;
let roomId: string;
const lookAlikes: UserRecord[] = [];

const summaryOf = ({ id, firstName, lastName, patronymic, residence, isMinor, isActive }: UserRecord): UserSummary => ({
  id,
  firstName,
  lastName,
  patronymic,
  residence,
  isMinor,
  isActive,
});

/** This file's users are named Ян Яковлев unless a test says otherwise (sorting by name). */
const newUser = (fields: Partial<NewUser>): NewUser => testUser({ firstName: 'Ян', lastName: 'Яковлев', ...fields });

beforeAll(async () => {
  db = await createTestDatabase('identity');
  pool = createDatabasePool(db.url, 3);
  prisma = createPrismaClient(PrismaClient, pool);
  users = new PrismaUserRepository(prisma, pool);
  await seedDemoCampus(prisma, { password: 'sirius2026', hasher: fakeHasher });
  // One room of people whose building, room and names tie: only the first name or the id orders them.
  roomId = (
    await prisma.room.create({ data: { buildingCode: '8', entrance: 1, floor: 9, number: '1999', capacity: 8 } })
  ).id;
  for (const fields of [
    { lastName: 'Алексеев', firstName: 'Борис' },
    { lastName: 'Алексеев', firstName: 'Анна', isMinor: true },
    { lastName: 'Борисов', firstName: 'Аркадий' },
    { firstName: 'Ян' },
    { firstName: 'Ян', patronymic: '100%_точно' },
    { firstName: 'Ян', roles: ['student', 'student_patrol'] as Role[] },
  ]) {
    lookAlikes.push(await users.create(newUser({ roomId, ...fields })));
  }
  const [leaving] = lookAlikes;
  if (leaving) await users.update(leaving.id, { isActive: false });
  // Without a room: after everyone with one.
  lookAlikes.push(await users.create(newUser({ checkOutDate: new Date('2026-06-30T00:00:00.000Z') })));
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

/** The ORM's reading of a filter: what the hand-written SQL must agree with. */
function ormWhere(filter: UserFilter): Prisma.UserWhereInput {
  const contains = (word: string) => ({ contains: escapeLikePattern(word), mode: 'insensitive' as const });
  const words = (filter.search ?? '').split(/\s+/).filter(Boolean).slice(0, 5);
  const room: Prisma.RoomWhereInput = {
    ...(filter.building !== undefined ? { buildingCode: filter.building } : {}),
    ...(filter.entrance !== undefined ? { entrance: filter.entrance } : {}),
    ...(filter.floor !== undefined ? { floor: filter.floor } : {}),
    ...(filter.room !== undefined ? { number: filter.room } : {}),
  };
  return {
    AND: [
      ...(filter.ids ? [{ id: { in: onlyUuids(filter.ids) } }] : []),
      ...(Object.keys(room).length > 0 ? [{ room: { is: room } }] : []),
      ...(filter.role ? [{ roles: { some: { role: filter.role } } }] : []),
      ...(filter.minorsOnly ? [{ isMinor: true }] : []),
      ...(filter.isActive !== undefined ? [{ isActive: filter.isActive }] : []),
      ...(filter.checkOutDateTo !== undefined ? [{ checkOutDate: { lte: filter.checkOutDateTo } }] : []),
      ...words.map((w) => ({
        OR: [
          { lastName: contains(w) },
          { firstName: contains(w) },
          { patronymic: contains(w) },
          { email: contains(w) },
        ],
      })),
    ],
  };
}

const ormOrder: Prisma.UserOrderByWithRelationInput[] = [
  { room: { buildingCode: 'asc' } },
  { room: { number: 'asc' } },
  { lastName: 'asc' },
  { firstName: 'asc' },
  { id: 'asc' },
];

async function ormRead(where: Prisma.UserWhereInput, skip = 0, take?: number) {
  const [total, rows] = await Promise.all([
    prisma.user.count({ where }),
    prisma.user.findMany({ where, include: userInclude, orderBy: ormOrder, skip, ...(take ? { take } : {}) }),
  ]);
  return { items: rows.map(toUserRecord), total };
}

const FILTERS: UserFilter[] = [
  {},
  { isActive: true },
  { isActive: false },
  { building: '8' },
  { building: '8', entrance: 1, floor: 9 },
  { building: '8', room: '1999' },
  { role: 'student_patrol' },
  { role: 'educator_head' },
  { minorsOnly: true, building: '9' },
  { checkOutDateTo: new Date('2026-06-30T00:00:00.000Z') },
  { search: 'яковлев ЯН' },
  { search: '100%_' },
  { search: '%' },
  { search: 'sirius.local educator' },
  { ids: ['not-a-uuid', '00000000-0000-0000-0000-000000000000'] },
  { ids: [] },
];

describe('listing users', () => {
  it.each(FILTERS.map((filter) => [JSON.stringify(filter), filter] as const))(
    'search and list of %s answer what the ORM reading answers',
    async (_, filter) => {
      const expected = await ormRead(ormWhere(filter));
      expect(await users.search(filter, { skip: 0, take: 100 }, 'full')).toEqual(
        await ormRead(ormWhere(filter), 0, 100),
      );
      expect(await users.list(filter, 10_000, 'full')).toEqual(expected.items);
      expect(await users.search(filter, { skip: 3, take: 7 }, 'full')).toEqual({
        items: expected.items.slice(3, 10),
        total: expected.total,
      });
      // Summaries: the same users, order and total, with only the summary's fields.
      expect(await users.search(filter, { skip: 3, take: 7 }, 'summary')).toEqual({
        items: expected.items.slice(3, 10).map(summaryOf),
        total: expected.total,
      });
      expect(await users.list(filter, 10_000, 'summary')).toEqual(expected.items.map(summaryOf));
    },
  );

  it('orders ties by first name, then id, and puts people without a room last', async () => {
    const room = await users.search({ building: '8', room: '1999' }, { skip: 0, take: 100 }, 'full');
    const [boris, anna, arkady, ...yans] = lookAlikes.slice(0, 6);
    expect(room.items.map((u) => u.id)).toEqual([
      anna?.id,
      boris?.id,
      arkady?.id,
      ...yans.map((u) => u.id).sort(), // same room and name: by id
    ]);
    const everyone = await users.list({}, 10_000, 'full');
    const roomless = everyone.findIndex((u) => u.residence === null);
    expect(roomless).toBeGreaterThan(0);
    expect(everyone.slice(roomless).every((u) => u.residence === null)).toBe(true);
  });

  it('pages through every match exactly once, and a window after the last match keeps the total', async () => {
    const all = await users.search({ building: '8' }, { skip: 0, take: 100 }, 'full');
    const pages = [];
    for (let skip = 0; skip < all.total; skip += 30) {
      const page = await users.search({ building: '8' }, { skip, take: 30 }, 'full');
      expect(page.total).toBe(all.total);
      pages.push(...page.items);
    }
    expect(pages).toEqual((await users.list({ building: '8' }, 10_000, 'full')).slice(0, all.total));
    expect(await users.search({ building: '8' }, { skip: all.total + 5, take: 30 }, 'full')).toEqual({
      items: [],
      total: all.total,
    });
    expect(await users.search({ building: 'nowhere' }, { skip: 0, take: 30 }, 'full')).toEqual({ items: [], total: 0 });
  });

  it('reads active residents of rooms as summaries, and users by id with roles, room and entrances', async () => {
    const rooms = await prisma.room.findMany({ where: { buildingCode: '9' }, select: { id: true } });
    const roomIds = [roomId, ...rooms.map((r) => r.id)];
    expect(await users.findActiveByRoomIds(roomIds)).toEqual(
      (await ormRead({ roomId: { in: roomIds }, isActive: true })).items.map(summaryOf),
    );
    expect(await users.findActiveByRoomIds(['nope'])).toEqual([]);

    const head = await prisma.user.findUniqueOrThrow({ where: { email: 'educator.head@sirius.local' } });
    const ids = [head.id, ...lookAlikes.map((u) => u.id), 'not-a-uuid', head.id];
    const byId = (list: UserRecord[]) => [...list].sort((a, b) => a.id.localeCompare(b.id));
    const found = await users.findByIds(ids);
    expect(byId(found)).toEqual(byId((await ormRead({ id: { in: [head.id, ...lookAlikes.map((u) => u.id)] } })).items));
    expect(found.find((u) => u.id === head.id)?.assignedEntrances.length).toBeGreaterThan(0);
  });

  it('reads the active residents of whole entrances as summaries, in list order', async () => {
    const entrances = [
      { building: '8', entrance: 1 },
      { building: '9', entrance: 2 },
      { building: '8', entrance: 1 }, // asked twice, read once
      { building: 'nowhere', entrance: 1 },
    ];
    const expected = await ormRead({
      isActive: true,
      OR: [{ room: { is: { buildingCode: '8', entrance: 1 } } }, { room: { is: { buildingCode: '9', entrance: 2 } } }],
    });
    const residents = await users.findActiveByEntrances(entrances);
    expect(residents).toEqual(expected.items.map(summaryOf));
    // the look-alikes' room (8/1, inactive Борис left out) is among them
    expect(residents.filter((u) => u.residence?.roomId === roomId)).toHaveLength(5);
    expect(await users.findActiveByEntrances([])).toEqual([]);
  });
});

describe('campus layout', () => {
  const byCode = new Intl.Collator('en', { numeric: true }).compare;
  const roomOf = (r: RoomPlan) => ({
    id: r.id,
    building: r.buildingCode,
    entrance: r.entrance,
    floor: r.floor,
    number: r.number,
    capacity: r.capacity,
  });

  it('reads buildings, the rooms of entrances and rooms by id as the ORM reads them', async () => {
    const campus = new PrismaCampusRepository(prisma, pool);
    const buildings = await prisma.building.findMany({ include: { entrances: true } });
    expect(await campus.listBuildings()).toEqual(
      buildings
        .map((b) => ({
          code: b.code,
          name: b.name,
          floors: b.floors,
          entrances: b.entrances.map((e) => e.number).sort((x, y) => x - y),
        }))
        .sort((a, b) => byCode(a.code, b.code)),
    );

    const entrances = [
      { building: '9', entrance: 2 },
      { building: '8', entrance: 1 },
      { building: '9', entrance: 2 },
      { building: 'nowhere', entrance: 1 },
    ];
    const rooms = await prisma.room.findMany({
      where: { OR: entrances.map((e) => ({ buildingCode: e.building, entrance: e.entrance })) },
      orderBy: [{ buildingCode: 'asc' }, { entrance: 'asc' }, { floor: 'asc' }, { number: 'asc' }],
    });
    expect(rooms.length).toBeGreaterThan(0);
    expect(await campus.roomsOfEntrances(entrances)).toEqual(rooms.map(roomOf));
    expect(await campus.roomsOfEntrances([])).toEqual([]);

    const some = [rooms[0], rooms.at(-1)].flatMap((r) => (r ? [r] : []));
    const byId = await campus.roomsByIds([...some.map((r) => r.id), 'not-a-uuid', some[0]?.id ?? '']);
    expect([...byId].sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      some.map(roomOf).sort((a, b) => a.id.localeCompare(b.id)),
    );
  });
});
