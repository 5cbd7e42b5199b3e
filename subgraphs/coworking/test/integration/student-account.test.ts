// requestBooking asks identity (a real gRPC double at the network boundary) whether the student's
// account is still active: a checked-out student (domain spec §9: bookings cancelled, account
// deactivated) keeps a valid access token for up to 15 minutes, and must not get a slot with it.
// Refusals are coded and write nothing; identity being down is the retryable UNAVAILABLE.
import { randomUUID } from 'node:crypto';
import { createGrpcClient, type GrpcClient } from '@campus/platform';
import { errorCodes, student, type TestUser } from '@campus/testkit';
import { coworkingService, type CoworkingServiceDefinition } from '../../src/api/grpc/coworking.grpc';
import { startCoworkingHarness, type CoworkingHarness } from '../support/harness';
import { seedCoworking } from '../support/seed';

// 12:00 in Moscow (the default campus time zone); coworkings open 08:00–23:00.
const AT = '2026-03-02T09:00:00.000Z';
const REQUEST = 'mutation($input: RequestBookingInput!) { requestBooking(input: $input) { id status } }';

let h: CoworkingHarness;
let checkout: GrpcClient<CoworkingServiceDefinition>;

beforeAll(async () => {
  h = await startCoworkingHarness(AT);
  // As the check-out orchestrator: only it may release a student's bookings.
  checkout = createGrpcClient(coworkingService, `127.0.0.1:${h.coworking.grpcPort}`, {
    name: 'coworking',
    auth: { service: 'checkout' },
  });
});

afterAll(async () => {
  checkout?.$close();
  await h?.stop();
});

afterEach(() => {
  h.identity.down = false;
});

/** Tomorrow (2026-03-03) from `from` to `to`, campus time. */
const tomorrow = (from: string, to: string) => ({
  startsAt: `2026-03-03T${from}:00+03:00`,
  endsAt: `2026-03-03T${to}:00+03:00`,
});

const request = async (user: TestUser, slot = tomorrow('18:00', '20:00')) =>
  h.gql<{ requestBooking: { id: string; status: string } }>(user, REQUEST, {
    input: { coworkingId: (await seedCoworking(h.coworking.internals.db)).id, purpose: 'Study group', ...slot },
  });

const bookingsOf = (studentId: string) =>
  h.coworking.internals.db.booking.findMany({ where: { studentId }, orderBy: { createdAt: 'asc' } });

const requestedEvents = async () =>
  h.coworking.internals.db.outboxEvent.count({ where: { type: 'campus.coworking.booking.requested.v1' } });

const getUserCalls = () => h.identity.callsTo('GetUser').length;

describe("requestBooking and the student's account in identity", () => {
  it('refuses a checked-out (deactivated) student with a still-valid token: COWRK_STUDENT_INACTIVE, no booking written', async () => {
    const leaving = student();
    h.identity.add(leaving);
    const before = await request(leaving);
    expect(before.errors).toBeUndefined();
    const booked = before.data!.requestBooking;

    // The check-out: coworking releases the booking, identity deactivates the account.
    await checkout.ReleaseBookingsForCheckOut({ userId: leaving.id, checkoutId: randomUUID() });
    h.identity.users.find((u) => u.id === leaving.id)!.isActive = false;
    const events = await requestedEvents();
    const calls = getUserCalls();

    const after = await request(leaving, tomorrow('10:00', '11:00'));

    expect(errorCodes(after)).toEqual(['COWRK_STUDENT_INACTIVE']);
    expect(after.errors?.[0]?.extensions?.details).toMatchObject({ studentId: leaving.id });
    expect(after.data?.requestBooking ?? null).toBeNull();
    const rows = await bookingsOf(leaving.id);
    expect(rows.map((r) => [r.id, r.status])).toEqual([[booked.id, 'cancelled']]);
    expect(await requestedEvents()).toBe(events);
    expect(getUserCalls() - calls).toBe(1);
  });

  it('refuses a student identity does not know: COWRK_STUDENT_NOT_FOUND, no booking written', async () => {
    const stranger = student();
    const answer = await request(stranger);
    expect(errorCodes(answer)).toEqual(['COWRK_STUDENT_NOT_FOUND']);
    expect(await bookingsOf(stranger.id)).toEqual([]);
  });

  it('answers the retryable COWRK_DEPENDENCY_UNAVAILABLE while identity is down, then books once it is back', async () => {
    const owner = student();
    h.identity.add(owner);
    h.identity.down = true;
    const down = await request(owner);
    expect(errorCodes(down)).toEqual(['COWRK_DEPENDENCY_UNAVAILABLE']);
    expect(down.errors?.[0]?.extensions?.details).toMatchObject({ dependency: 'identity' });
    expect(await bookingsOf(owner.id)).toEqual([]);

    h.identity.down = false;
    const up = await request(owner);
    expect(up.errors).toBeUndefined();
    expect(up.data!.requestBooking.status).toBe('PENDING');
    expect(await bookingsOf(owner.id)).toHaveLength(1);
  });
});
