// The read model's hand-written SQL against the real tables: one page of applications per
// applicant (what a student's home screen and a staff member following a student ask for), and
// the staff list with every filter, read as the ORM reads it; and the event store's stream.
import { randomUUID } from 'node:crypto';
import { pageRequest } from '@campus/platform';
import { residence, staff, student } from '@campus/testkit';
import type { ApplicationFilter } from '../../src/services/ports';
import { PrismaEventStore } from '../../src/repository/event-store.repository';
import { PrismaReadModel } from '../../src/repository/read-model.repository';
import { toRecordedEvent } from '../../src/repository/stored-events.mapper';
import { decide, futurePeriod, submitApplication, withdraw } from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

let h: LeaveHarness;
let readModel: PrismaReadModel;
const first = student();
const second = student({ residence: residence('5', 2, '204') });
const idle = student();
/** Ids of each student's applications, newest submission first. */
const newestFirst: Record<string, string[]> = {};

beforeAll(async () => {
  h = await startLeaveHarness();
  readModel = new PrismaReadModel(h.leave.internals.db, h.leave.internals.pool);
  for (const user of [first, second, idle]) h.identity.add(user);
  for (const [user, count] of [
    [first, 4],
    [second, 2],
  ] as const) {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.unshift((await submitApplication(h, user, futurePeriod(24 + i, 2))).id);
    newestFirst[user.id] = ids;
  }
  const approved = newestFirst[first.id]![1]!;
  expect((await decide(h, staff('educator'), approved, 'APPROVE')).errors).toBeUndefined();
});

afterAll(async () => {
  await h?.stop();
});

const idsOf = (pages: Map<string, { id: string }[]>) =>
  Object.fromEntries([...pages].map(([applicant, items]) => [applicant, items.map((a) => a.id)]));

it("pages each applicant's applications on its own, newest first", async () => {
  const unknown = randomUUID();
  const pages = await readModel.applicationsOfApplicants([first.id, second.id, idle.id, unknown], {
    page: pageRequest(2, 2),
  });
  expect(idsOf(pages)).toEqual({
    [first.id]: newestFirst[first.id]!.slice(2, 4),
    [second.id]: [],
    [idle.id]: [],
    [unknown]: [],
  });

  const firstPages = await readModel.applicationsOfApplicants([first.id, second.id], {
    page: pageRequest(1, 3),
  });
  expect(idsOf(firstPages)).toEqual({
    [first.id]: newestFirst[first.id]!.slice(0, 3),
    [second.id]: newestFirst[second.id],
  });
  const [newest] = firstPages.get(first.id)!;
  expect(newest).toMatchObject({ applicantId: first.id, status: 'PENDING', reason: 'Family visit' });
  expect(newest!.submittedAt).toBeInstanceOf(Date);
});

it('filters by status before paging', async () => {
  const pending = await readModel.applicationsOfApplicants([first.id], {
    status: 'PENDING',
    page: pageRequest(1, 10),
  });
  const all = newestFirst[first.id]!;
  expect(idsOf(pending)).toEqual({ [first.id]: [all[0], all[2], all[3]] });
  const approved = await readModel.applicationsOfApplicants([first.id, second.id], {
    status: 'APPROVED',
    page: pageRequest(1, 10),
  });
  expect(idsOf(approved)).toEqual({ [first.id]: [all[1]], [second.id]: [] });
});

describe('the staff list', () => {
  /** The same filter and page as Prisma reads them (what list() did before it was plain SQL). */
  async function ormPage(filter: ApplicationFilter, skip: number, take: number) {
    const db = h.leave.internals.db;
    const where = {
      ...(filter.status !== undefined ? { status: filter.status } : {}),
      ...(filter.building !== undefined ? { building: filter.building } : {}),
      ...(filter.entrance !== undefined ? { entrance: filter.entrance } : {}),
      ...(filter.room !== undefined ? { room: filter.room } : {}),
      ...(filter.applicantId !== undefined ? { applicantId: filter.applicantId } : {}),
      ...(filter.to !== undefined ? { leaveAt: { lt: filter.to } } : {}),
      ...(filter.from !== undefined ? { returnAt: { gt: filter.from } } : {}),
    };
    const [rows, total] = await Promise.all([
      db.leaveApplicationView.findMany({
        where,
        orderBy: [{ submittedAt: 'desc' }, { id: 'desc' }],
        skip,
        take,
      }),
      db.leaveApplicationView.count({ where }),
    ]);
    return { ids: rows.map((r) => r.id), total };
  }

  const hours = (n: number) => new Date(Date.now() + n * 3_600_000);

  it.each<[string, () => ApplicationFilter]>([
    ['no filter', () => ({})],
    ['a status', () => ({ status: 'PENDING' })],
    ['an applicant', () => ({ applicantId: first.id })],
    ['an applicant and a status', () => ({ applicantId: first.id, status: 'APPROVED' })],
    ['a building', () => ({ building: '5' })],
    ['a building, entrance and room', () => ({ building: '8', entrance: 1, room: '301' })],
    ['a room nobody lives in', () => ({ building: '8', entrance: 1, room: '999' })],
    ['a period that overlaps some leaves', () => ({ from: hours(25), to: hours(26) })],
    ['a period before every leave', () => ({ from: hours(1), to: hours(2) })],
  ])('reads %s as the ORM does, page by page', async (_label, filterOf) => {
    const filter = filterOf();
    for (const [number, size] of [
      [1, 20],
      [1, 2],
      [2, 2],
      [3, 2],
      [9, 5],
    ] as const) {
      const page = pageRequest(number, size);
      const listed = await readModel.list(filter, page);
      const expected = await ormPage(filter, page.skip, page.take);
      expect({ ids: listed.items.map((a) => a.id), total: listed.total }).toEqual(expected);
    }
  });

  it('finds what the filters say', async () => {
    const all = await readModel.list({}, pageRequest(1, 50));
    expect(all.total).toBeGreaterThanOrEqual(6);
    const inFive = await readModel.list({ building: '5' }, pageRequest(1, 50));
    expect(inFive.items.map((a) => a.id).sort()).toEqual([...newestFirst[second.id]!].sort());
    const approved = await readModel.list({ status: 'APPROVED', applicantId: first.id }, pageRequest(1, 50));
    expect(approved.items.map((a) => a.id)).toEqual([newestFirst[first.id]![1]]);
    expect(approved.items[0]).toMatchObject({
      status: 'APPROVED',
      residence: { building: '8', entrance: 1, room: '301' },
    });
  });
});

it('the event store loads each stream as the ORM reads it, in version order', async () => {
  const withdrawn = newestFirst[second.id]![1]!;
  expect((await withdraw(h, second, withdrawn)).errors).toBeUndefined();
  const store = new PrismaEventStore(h.leave.internals.pool);
  const streams = [...newestFirst[first.id]!, ...newestFirst[second.id]!, randomUUID()];
  for (const streamId of streams) {
    const rows = await h.leave.internals.db.leaveEvent.findMany({ where: { streamId }, orderBy: { version: 'asc' } });
    const expected = rows.map(({ position: _position, ...row }) => toRecordedEvent(row));
    expect(await store.load(streamId)).toEqual(expected);
  }
  const approvedStream = await store.load(newestFirst[first.id]![1]!);
  expect(approvedStream.map((e) => [e.type, e.version])).toEqual([
    ['SUBMITTED', 1],
    ['APPROVED', 2],
  ]);
  expect(approvedStream[0]!.occurredAt).toBeInstanceOf(Date);
  expect((await store.load(withdrawn)).map((e) => e.type)).toEqual(['SUBMITTED', 'WITHDRAWN']);
});
