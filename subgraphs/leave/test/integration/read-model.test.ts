// The read model's hand-written SQL against the real tables: one page of applications per
// applicant (what a student's home screen and a staff member following a student ask for).
import { randomUUID } from 'node:crypto';
import { pageRequest } from '@campus/platform';
import { staff, student } from '@campus/testkit';
import { PrismaReadModel } from '../../src/repository/read-model.repository';
import { decide, futurePeriod, submitApplication } from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

let h: LeaveHarness;
let readModel: PrismaReadModel;
const first = student();
const second = student();
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
