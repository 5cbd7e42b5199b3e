// A patrol entry pre-marked from an approved leave references it (PatrolEntry.leave); the router
// resolves it here as an entity. A student_patrol of the applicant's entrance sees its status and
// return time, never its reason; everyone else keeps the "own or staff" rule.
import { errorCodes, residence, staff, student, wav } from '@campus/testkit';
import { dataOf, decide, submitApplication, uploadDocument } from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

let h: LeaveHarness;
const educator = staff('educator');

beforeAll(async () => {
  h = await startLeaveHarness();
});

afterAll(async () => {
  await h?.stop();
});

const entity = (fields: string) =>
  `query($id: ID!) { _entities(representations: [{ __typename: "LeaveApplication", id: $id }]) {
    ... on LeaveApplication { ${fields} } } }`;

type Entities = { _entities: Array<Record<string, unknown> | null> };

async function approvedLeaveOfMinor(minor = student({ isMinor: true, residence: residence('8', 1, '305') })) {
  h.identity.add(minor);
  const app = await submitApplication(h, minor, { reason: 'Private family matter' });
  expect((await uploadDocument(h, minor, app.id, 'VOICE_MESSAGE', wav(2))).status).toBe(201);
  dataOf(await decide(h, educator, app.id, 'APPROVE'));
  return { id: app.id, returnAt: app.returnAt };
}

test("a patrol student of the applicant's entrance sees status and return time; the reason is null", async () => {
  const leave = await approvedLeaveOfMinor();
  const patrol = student({ roles: ['student', 'student_patrol'], residence: residence('8', 1, '410') });
  const res = await h.gql<Entities>(patrol, entity('id status returnAt reason'), { id: leave.id });
  expect(res.errors ?? []).toEqual([]);
  expect(res.data!._entities).toEqual([{ id: leave.id, status: 'APPROVED', returnAt: leave.returnAt, reason: null }]);

  const phone = await h.gql<Entities>(patrol, entity('id contactPhone'), { id: leave.id });
  expect(errorCodes(phone)).toEqual(['FORBIDDEN']);
  expect(phone.errors![0]!.extensions).toMatchObject({ details: { rule: 'patrol_leave_view' } });

  // the applicant and staff still read the reason
  const staffRead = await h.gql<Entities>(educator, entity('reason'), { id: leave.id });
  expect(staffRead.data!._entities).toEqual([{ reason: 'Private family matter' }]);
});

test('a patrol student of another entrance, or a plain student, is still refused', async () => {
  const leave = await approvedLeaveOfMinor();
  const elsewhere = student({ roles: ['student', 'student_patrol'], residence: residence('8', 2, '410') });
  const neighbour = student({ residence: residence('8', 1, '306') });
  for (const user of [elsewhere, neighbour]) {
    expect(errorCodes(await h.gql(user, entity('id status returnAt'), { id: leave.id }))).toEqual(['FORBIDDEN']);
  }
});

test('a pending leave is not shown to the patrol', async () => {
  const minor = student({ isMinor: true, residence: residence('8', 1, '307') });
  h.identity.add(minor);
  const app = await submitApplication(h, minor);
  const patrol = student({ roles: ['student', 'student_patrol'], residence: residence('8', 1, '410') });
  expect(errorCodes(await h.gql(patrol, entity('id status'), { id: app.id }))).toEqual(['FORBIDDEN']);
});

test('a minor moved after submitting: the patrol of the entrance they live in now sees the leave too', async () => {
  const minor = student({ isMinor: true, residence: residence('8', 1, '308') });
  const leave = await approvedLeaveOfMinor(minor);
  // an admin moves them to 8/2 (identity only; the application keeps the residence it was submitted from)
  h.identity.users = h.identity.users.map((u) =>
    u.id === minor.id ? { ...u, residence: residence('8', 2, '221') } : u,
  );
  const newEntrance = student({ roles: ['student', 'student_patrol'], residence: residence('8', 2, '410') });
  const oldEntrance = student({ roles: ['student', 'student_patrol'], residence: residence('8', 1, '410') });
  for (const patrol of [newEntrance, oldEntrance]) {
    const res = await h.gql<Entities>(patrol, entity('id status returnAt reason'), { id: leave.id });
    expect(res.errors ?? []).toEqual([]);
    expect(res.data!._entities).toEqual([{ id: leave.id, status: 'APPROVED', returnAt: leave.returnAt, reason: null }]);
  }
  const third = student({ roles: ['student', 'student_patrol'], residence: residence('8', 3, '410') });
  expect(errorCodes(await h.gql(third, entity('id status'), { id: leave.id }))).toEqual(['FORBIDDEN']);
});
