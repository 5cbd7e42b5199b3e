// The start's write (PrismaPatrolStore.createPatrol, one SQL statement) against a real PostgreSQL:
// the patrol, every entry and the outbox row land together or not at all, a concurrent second
// start of the same evening writes nothing, and what was written reads back through Prisma as given.
import { randomUUID } from 'node:crypto';
import { createDatabasePool, createPrismaClient, type DatabasePool } from '@campus/platform';
import { createTestDatabase, type TestDatabase } from '@campus/testkit';
import type { EntryRecord, PatrolRecord } from '../../src/domain/patrol';
import { patrolStarted } from '../../src/events/patrol-events';
import { PrismaClient, type PatrolDatabase } from '../../src/repository/database';
import { PrismaPatrolStore } from '../../src/repository/patrol.repository';

jest.setTimeout(60_000);

let db: TestDatabase;
let pool: DatabasePool;
let prisma: PatrolDatabase;
let store: PrismaPatrolStore;
let committed = 0;

beforeAll(async () => {
  db = await createTestDatabase('patrol');
  pool = createDatabasePool(db.url, 4);
  prisma = createPrismaClient(PrismaClient, pool);
  store = new PrismaPatrolStore(prisma, pool, () => committed++);
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

function patrolOf(date: string, building = '8', entrance = 1): PatrolRecord {
  return {
    id: randomUUID(),
    date,
    building,
    entrance,
    status: 'in_progress',
    eveningAt: new Date(`${date}T19:00:00.000Z`),
    startedBy: randomUUID(),
    startedAt: new Date(`${date}T19:30:00.123Z`),
    completedBy: null,
    completedAt: null,
  };
}

function entriesOf(patrol: PatrolRecord, count: number): EntryRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const onLeave = i % 4 === 0;
    return {
      id: randomUUID(),
      patrolId: patrol.id,
      studentId: randomUUID(),
      fullName: i === 1 ? null : `Иванов «${i}» "Пётр"\\`,
      room: i === 2 ? null : `${300 + i}`,
      status: onLeave ? 'absent' : 'unchecked',
      reason: onLeave ? 'Family visit' : null,
      leaveApplicationId: onLeave ? randomUUID() : null,
      leaveReason: onLeave ? 'Family visit' : null,
      addedManually: false,
      checkedBy: null,
      checkedAt: onLeave ? new Date('2026-03-13T19:30:00.456Z') : null,
    };
  });
}

const outboxOf = async (patrolId: string) =>
  (
    await pool.query<{ type: string; payload: { id: string; data: unknown } }>(
      "SELECT type, payload FROM outbox WHERE payload->>'subject' = $1 ORDER BY seq",
      [patrolId],
    )
  ).rows;

it('writes the patrol, every entry and the started event in one go, as given', async () => {
  const patrol = patrolOf('2026-03-13');
  const entries = entriesOf(patrol, 30);
  const event = patrolStarted(patrol, entries);
  const before = committed;
  expect(await store.createPatrol(patrol, entries, [event])).toBe('created');
  expect(committed).toBe(before + 1); // wakes the relay

  expect(await store.findPatrols([patrol.id])).toEqual([patrol]);
  expect(await store.findPatrolByKey('2026-03-13', '8', 1)).toEqual(patrol);
  expect(await store.findPatrolByKey('2026-03-13', '8', 2)).toBeNull();
  const stored = await store.entriesOf([patrol.id]);
  const byId = (a: EntryRecord, b: EntryRecord) => a.id.localeCompare(b.id);
  expect(stored.sort(byId)).toEqual([...entries].sort(byId));

  const outbox = await outboxOf(patrol.id);
  expect(outbox).toHaveLength(1);
  expect(outbox[0]).toMatchObject({ type: 'campus.patrol.patrol.started.v1' });
  expect(outbox[0]!.payload).toEqual(JSON.parse(JSON.stringify(event)));
});

it('writes a patrol without entries', async () => {
  const patrol = patrolOf('2026-03-12', '9', 4);
  expect(await store.createPatrol(patrol, [], [patrolStarted(patrol, [])])).toBe('created');
  expect(await store.entriesOf([patrol.id])).toEqual([]);
  expect(await outboxOf(patrol.id)).toHaveLength(1);
});

it('lets one of two concurrent starts of an evening write; the other writes nothing', async () => {
  const [a, b] = [patrolOf('2026-03-11'), patrolOf('2026-03-11')];
  const [entriesA, entriesB] = [entriesOf(a, 20), entriesOf(b, 20)];
  const outcomes = await Promise.all([
    store.createPatrol(a, entriesA, [patrolStarted(a, entriesA)]),
    store.createPatrol(b, entriesB, [patrolStarted(b, entriesB)]),
  ]);
  expect([...outcomes].sort()).toEqual(['created', 'duplicate']);
  const [winner, loser] = outcomes[0] === 'created' ? [a, b] : [b, a];
  expect((await store.findPatrolByKey('2026-03-11', '8', 1))?.id).toBe(winner.id);
  expect(await store.entriesOf([winner.id])).toHaveLength(20);
  expect(await store.entriesOf([loser.id])).toEqual([]);
  expect(await outboxOf(winner.id)).toHaveLength(1);
  expect(await outboxOf(loser.id)).toEqual([]);
});

it('writes nothing when any part fails (one statement, one transaction)', async () => {
  const patrol = patrolOf('2026-03-10');
  const entries = entriesOf(patrol, 3);
  entries[2] = { ...entries[2]!, status: 'lost' as EntryRecord['status'] }; // refused by the enum, last
  await expect(store.createPatrol(patrol, entries, [patrolStarted(patrol, entries)])).rejects.toThrow(/enum/);
  expect(await store.findPatrols([patrol.id])).toEqual([]);
  expect(await store.entriesOf([patrol.id])).toEqual([]);
  expect(await outboxOf(patrol.id)).toEqual([]);
});
