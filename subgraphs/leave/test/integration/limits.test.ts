// Sane bounds on what a student may ask for: real calendar dates only, a leave of at most
// LEAVE_MAX_DAYS starting within LEAVE_MAX_DAYS_AHEAD, at most LEAVE_MAX_PENDING_PER_STUDENT undecided applications at once
// (pending ones whose return time has passed do not count).
import { errorCodes, student } from '@campus/testkit';
import { futurePeriod, submitApplication } from '../support/applications';
import { startLeaveHarness, type LeaveHarness } from '../support/harness';

let h: LeaveHarness;

beforeAll(async () => {
  h = await startLeaveHarness({
    env: { LEAVE_MAX_DAYS: '10', LEAVE_MAX_DAYS_AHEAD: '20', LEAVE_MAX_PENDING_PER_STUDENT: '2' },
  });
});

afterAll(async () => {
  await h?.stop();
});

const SUBMIT = `mutation($input: SubmitLeaveApplicationInput!) { submitLeaveApplication(input: $input) { id } }`;

function submit(user: ReturnType<typeof student>, period: { leaveAt: string; returnAt: string }) {
  return h.gql<{ submitLeaveApplication: { id: string } }>(user, SUBMIT, {
    input: { ...period, reason: 'Family visit', contactPhone: '+7 912 345-67-89' },
  });
}

test('an impossible date (30 February) is refused, not rolled over to March', async () => {
  const applicant = student();
  h.identity.add(applicant);
  const res = await submit(applicant, { leaveAt: '2027-02-30T10:00:00Z', returnAt: '2027-03-03T10:00:00Z' });
  // refused by the DateTime scalar while the variables are coerced (GraphQL's BAD_USER_INPUT)
  expect(errorCodes(res)).toEqual(['BAD_USER_INPUT']);
  expect(res.data?.submitLeaveApplication ?? null).toBeNull();
});

test('a leave longer than LEAVE_MAX_DAYS is LEAVE_PERIOD_TOO_LONG', async () => {
  const applicant = student();
  h.identity.add(applicant);
  const res = await submit(applicant, futurePeriod(24, 10 * 24 + 1));
  expect(errorCodes(res)).toEqual(['LEAVE_PERIOD_TOO_LONG']);
  expect(res.errors?.[0]?.extensions).toMatchObject({ details: { maxDays: 10 } });
  expect(errorCodes(await submit(applicant, futurePeriod(24, 10 * 24)))).toEqual([]);
});

test('a leave starting more than LEAVE_MAX_DAYS_AHEAD days from now is LEAVE_PERIOD_TOO_FAR', async () => {
  const applicant = student();
  h.identity.add(applicant);
  const res = await submit(applicant, futurePeriod(20 * 24 + 1, 4));
  expect(errorCodes(res)).toEqual(['LEAVE_PERIOD_TOO_FAR']);
  expect(res.errors?.[0]?.extensions).toMatchObject({
    details: { maxDaysAhead: 20, fields: { leaveAt: expect.any(String) } },
  });
  expect(errorCodes(await submit(applicant, futurePeriod(20 * 24 - 1, 4)))).toEqual([]);
});

test('more than LEAVE_MAX_PENDING_PER_STUDENT undecided applications is LEAVE_TOO_MANY_PENDING', async () => {
  const applicant = student();
  h.identity.add(applicant);
  await submitApplication(h, applicant);
  await submitApplication(h, applicant);
  const res = await submit(applicant, futurePeriod());
  expect(errorCodes(res)).toEqual(['LEAVE_TOO_MANY_PENDING']);
  expect(res.errors?.[0]?.extensions).toMatchObject({ details: { max: 2 } });
});

test('pending applications whose return time has passed do not count toward LEAVE_MAX_PENDING_PER_STUDENT', async () => {
  const applicant = student();
  h.identity.add(applicant);
  const stale = await submitApplication(h, applicant, futurePeriod(24, 24));
  await submitApplication(h, applicant, futurePeriod(24, 72));
  expect(errorCodes(await submit(applicant, futurePeriod()))).toEqual(['LEAVE_TOO_MANY_PENDING']);

  // the service's clock passes the first one's return, which nobody decided
  const overBy = new Date(stale.returnAt).getTime() - h.clock.now().getTime() + 60_000;
  h.clock.advance(overBy);
  try {
    const now = h.clock.now().getTime();
    const period = (fromNowHours: number) => ({
      leaveAt: new Date(now + fromNowHours * 3_600_000).toISOString(),
      returnAt: new Date(now + (fromNowHours + 4) * 3_600_000).toISOString(),
    });
    const accepted = await submit(applicant, period(1));
    expect(errorCodes(accepted)).toEqual([]);
    expect(accepted.data?.submitLeaveApplication.id).toEqual(expect.any(String));
    // the second one and the new one are ahead: the limit holds again
    expect(errorCodes(await submit(applicant, period(2)))).toEqual(['LEAVE_TOO_MANY_PENDING']);
  } finally {
    h.clock.advance(-overBy);
  }
});
