// The check-out saga participant over gRPC with a real database: ReleaseBookingsForCheckOut cancels
// a leaving student's pending/approved booking (once per check-out), a key out refuses it with
// COWRK_KEY_HELD and changes nothing, RestoreBookingsForCheckOut puts back exactly what was cancelled
// (a `restored` event each) and leaves a tombstone, so that a release arriving after it changes nothing.
import { randomUUID } from 'node:crypto';
import { validateEvent } from '@campus/contracts';
import { createGrpcClient, type CloudEvent, type GrpcClient } from '@campus/platform';
import { coworkingService, type CoworkingServiceDefinition } from '../../src/api/grpc/coworking.grpc';
import type { CoworkingDatabase } from '../../src/repository/database';
import { startCoworkingHarness, type CoworkingHarness } from '../support/harness';
import { seedBooking, seedCoworking } from '../support/seed';

const AT = '2026-03-01T09:00:00.000Z';
const ts = (iso: string) => ({ seconds: String(Date.parse(iso) / 1000), nanos: 0 });

let h: CoworkingHarness;
let db: CoworkingDatabase;
let grpc: GrpcClient<CoworkingServiceDefinition>;

beforeAll(async () => {
  h = await startCoworkingHarness(AT);
  db = h.coworking.internals.db;
  // As the check-out orchestrator: only it may call these methods.
  grpc = createGrpcClient(coworkingService, `127.0.0.1:${h.coworking.grpcPort}`, {
    name: 'coworking',
    auth: { service: 'checkout' },
  });
});

afterAll(async () => {
  grpc?.$close();
  await h?.stop();
});

const cancelledEventsOf = async (bookingId: string) =>
  (await db.outboxEvent.findMany({ where: { type: 'campus.coworking.booking.cancelled.v1' }, orderBy: { seq: 'asc' } }))
    .map((e) => (e.payload as { data: Record<string, unknown> }).data)
    .filter((d) => d.bookingId === bookingId);

/** The outbox's `restored` events of one booking, whole (the CloudEvent as it will be published). */
const restoredEventsOf = async (bookingId: string) =>
  (await db.outboxEvent.findMany({ where: { type: 'campus.coworking.booking.restored.v1' }, orderBy: { seq: 'asc' } }))
    .map((e) => e.payload as unknown as CloudEvent<Record<string, unknown>>)
    .filter((e) => e.data.bookingId === bookingId);

describe('ReleaseBookingsForCheckOut', () => {
  it("cancels the student's approved booking once, with an event naming the check-out; a repeat answers the same", async () => {
    const room = await seedCoworking(db, { name: 'Release A' });
    const studentId = randomUUID();
    const past = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'completed',
      startsAt: '2026-02-20T10:00:00Z',
      endsAt: '2026-02-20T12:00:00Z',
    });
    const approved = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'approved',
      startsAt: '2026-03-01T12:00:00Z',
      endsAt: '2026-03-01T14:00:00Z',
    });
    const checkoutId = randomUUID();

    const first = await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId });
    expect(first).toEqual({
      released: [
        {
          bookingId: approved.id,
          coworkingId: room.id,
          previousStatus: 'approved',
          status: 'cancelled',
          startsAt: ts('2026-03-01T12:00:00Z'),
          endsAt: ts('2026-03-01T14:00:00Z'),
        },
      ],
    });
    const row = await db.booking.findUniqueOrThrow({ where: { id: approved.id } });
    expect(row).toMatchObject({
      status: 'cancelled',
      cancelledByCheckoutId: checkoutId,
      cancelledBy: null,
      cancelledAt: new Date(AT),
      version: approved.version + 1,
    });
    expect((await db.booking.findUniqueOrThrow({ where: { id: past.id } })).status).toBe('completed');
    expect(await cancelledEventsOf(approved.id)).toEqual([
      expect.objectContaining({ status: 'cancelled', checkoutId, actorId: null, coworkingName: 'Release A' }),
    ]);

    expect(await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId })).toEqual(first);
    expect(await cancelledEventsOf(approved.id)).toHaveLength(1);
    expect(await db.checkoutRelease.count({ where: { checkoutId } })).toBe(1);
  });

  it('answers an empty list for a student without bookings', async () => {
    expect(await grpc.ReleaseBookingsForCheckOut({ userId: randomUUID(), checkoutId: randomUUID() })).toEqual({
      released: [],
    });
  });

  it.each(['key_taken', 'key_return_requested', 'key_returned'] as const)(
    'refuses while the student holds a key (%s): COWRK_KEY_HELD naming the coworking, nothing changed',
    async (status) => {
      const room = await seedCoworking(db, { name: `Key ${status}` });
      const studentId = randomUUID();
      const holding = await seedBooking(db, {
        coworkingId: room.id,
        studentId,
        status,
        startsAt: '2026-03-01T07:00:00Z',
        endsAt: '2026-03-01T08:30:00Z',
      });
      const checkoutId = randomUUID();
      const outboxBefore = await db.outboxEvent.count();

      await expect(grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId })).rejects.toMatchObject({
        code: 'COWRK_KEY_HELD',
        kind: 'CONFLICT',
        // Said returned: only an educator's confirmation is missing, and the message says so.
        message: expect.stringContaining(
          status === 'key_returned' ? 'an educator must confirm its return' : 'it must come back first',
        ),
        details: expect.objectContaining({
          bookingId: holding.id,
          coworkingId: room.id,
          coworkingName: `Key ${status}`,
          status,
        }),
      });
      expect(await db.booking.findUniqueOrThrow({ where: { id: holding.id } })).toMatchObject({
        status,
        version: holding.version,
        cancelledByCheckoutId: null,
      });
      expect(await db.checkoutRelease.count({ where: { checkoutId } })).toBe(0);
      expect(await db.outboxEvent.count()).toBe(outboxBefore);
    },
  );

  it('refuses ids that are not UUIDs with VALIDATION_ERROR', async () => {
    await expect(grpc.ReleaseBookingsForCheckOut({ userId: 'nobody', checkoutId: randomUUID() })).rejects.toMatchObject(
      {
        code: 'VALIDATION_ERROR',
      },
    );
  });
});

describe('RestoreBookingsForCheckOut', () => {
  it('puts a released pending booking back as pending, once; a repeat answers the same', async () => {
    const room = await seedCoworking(db);
    const studentId = randomUUID();
    const pending = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'pending',
      startsAt: '2026-03-02T10:00:00Z',
      endsAt: '2026-03-02T11:00:00Z',
    });
    const checkoutId = randomUUID();
    await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId });

    const restored = await grpc.RestoreBookingsForCheckOut({ checkoutId });
    expect(restored).toEqual({
      restored: [expect.objectContaining({ bookingId: pending.id, previousStatus: 'pending', status: 'pending' })],
      notRestored: [],
    });
    expect(await db.booking.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({
      status: 'pending',
      cancelledAt: null,
      cancelledByCheckoutId: null,
      version: pending.version + 2,
    });
    expect(await db.checkoutRelease.findFirstOrThrow({ where: { checkoutId } })).toMatchObject({
      restoredAt: new Date(AT),
      restoreOutcome: 'restored',
    });
    const [event, ...more] = await restoredEventsOf(pending.id);
    expect(more).toEqual([]);
    expect(event).toMatchObject({
      type: 'campus.coworking.booking.restored.v1',
      subject: pending.id,
      data: { status: 'pending', checkoutId, actorId: null, studentId, coworkingName: room.name },
    });
    expect(validateEvent(event)).toEqual({ valid: true, errors: [] });

    expect(await grpc.RestoreBookingsForCheckOut({ checkoutId })).toEqual(restored);
    expect((await db.booking.findUniqueOrThrow({ where: { id: pending.id } })).version).toBe(pending.version + 2);
    expect(await restoredEventsOf(pending.id)).toHaveLength(1);
    // A release repeated after the restore changes nothing either.
    await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId });
    expect((await db.booking.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe('pending');
    expect(await cancelledEventsOf(pending.id)).toHaveLength(1);
  });

  it('puts an approved booking back as approved, with its restored event', async () => {
    const room = await seedCoworking(db);
    const studentId = randomUUID();
    const approved = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'approved',
      startsAt: '2026-03-06T10:00:00Z',
      endsAt: '2026-03-06T11:00:00Z',
    });
    const checkoutId = randomUUID();
    await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId });

    expect(await grpc.RestoreBookingsForCheckOut({ checkoutId })).toEqual({
      restored: [expect.objectContaining({ bookingId: approved.id, previousStatus: 'approved', status: 'approved' })],
      notRestored: [],
    });
    const events = await restoredEventsOf(approved.id);
    expect(events.map((e) => [e.data.status, e.data.checkoutId])).toEqual([['approved', checkoutId]]);
    expect(validateEvent(events[0])).toEqual({ valid: true, errors: [] });
  });

  it('leaves an approved booking cancelled when its slot was approved for someone else meanwhile, and says so', async () => {
    const room = await seedCoworking(db);
    const studentId = randomUUID();
    const approved = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'approved',
      startsAt: '2026-03-03T10:00:00Z',
      endsAt: '2026-03-03T12:00:00Z',
    });
    const checkoutId = randomUUID();
    await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId });
    const other = await seedBooking(db, {
      coworkingId: room.id,
      status: 'approved',
      startsAt: '2026-03-03T11:00:00Z',
      endsAt: '2026-03-03T13:00:00Z',
    });

    const answer = await grpc.RestoreBookingsForCheckOut({ checkoutId });
    expect(answer).toEqual({
      restored: [],
      notRestored: [
        {
          booking: expect.objectContaining({ bookingId: approved.id, previousStatus: 'approved', status: 'cancelled' }),
          reason: 'slot_taken',
        },
      ],
    });
    expect((await db.booking.findUniqueOrThrow({ where: { id: approved.id } })).status).toBe('cancelled');
    expect((await db.booking.findUniqueOrThrow({ where: { id: other.id } })).status).toBe('approved');
    expect(await restoredEventsOf(approved.id)).toEqual([]);
    // Even once the other booking is gone, the answer stays what it was.
    await db.booking.update({ where: { id: other.id }, data: { status: 'cancelled' } });
    expect(await grpc.RestoreBookingsForCheckOut({ checkoutId })).toEqual(answer);
  });

  it('leaves a booking cancelled when the student booked anew meanwhile', async () => {
    const room = await seedCoworking(db);
    const studentId = randomUUID();
    const pending = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'pending',
      startsAt: '2026-03-04T10:00:00Z',
      endsAt: '2026-03-04T11:00:00Z',
    });
    const checkoutId = randomUUID();
    await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId });
    await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'pending',
      startsAt: '2026-03-05T10:00:00Z',
      endsAt: '2026-03-05T11:00:00Z',
    });

    expect(await grpc.RestoreBookingsForCheckOut({ checkoutId })).toEqual({
      restored: [],
      notRestored: [{ booking: expect.objectContaining({ bookingId: pending.id }), reason: 'active_booking_exists' }],
    });
  });

  it('leaves a booking cancelled when its slot has passed', async () => {
    const room = await seedCoworking(db);
    const studentId = randomUUID();
    const approved = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'approved',
      startsAt: '2026-03-01T10:00:00Z',
      endsAt: '2026-03-01T11:00:00Z',
    });
    const checkoutId = randomUUID();
    await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId });
    h.clock.set('2026-03-01T11:30:00.000Z');
    try {
      expect(await grpc.RestoreBookingsForCheckOut({ checkoutId })).toEqual({
        restored: [],
        notRestored: [{ booking: expect.objectContaining({ bookingId: approved.id }), reason: 'slot_passed' }],
      });
    } finally {
      h.clock.set(AT);
    }
    expect((await db.booking.findUniqueOrThrow({ where: { id: approved.id } })).status).toBe('cancelled');
  });

  it('restores nothing for a check-out that released nothing, and records that it was undone', async () => {
    const checkoutId = randomUUID();
    expect(await grpc.RestoreBookingsForCheckOut({ checkoutId })).toEqual({
      restored: [],
      notRestored: [],
    });
    expect(await db.checkoutRestore.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      restoredAt: new Date(AT),
    });
    // A repeat keeps the first record.
    h.clock.set('2026-03-01T09:05:00.000Z');
    try {
      await grpc.RestoreBookingsForCheckOut({ checkoutId });
    } finally {
      h.clock.set(AT);
    }
    expect(await db.checkoutRestore.findMany({ where: { checkoutId } })).toEqual([
      expect.objectContaining({ restoredAt: new Date(AT) }),
    ]);
  });

  it('a release arriving after the restore (undo before do) changes nothing and answers empty', async () => {
    const room = await seedCoworking(db);
    const studentId = randomUUID();
    const approved = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'approved',
      startsAt: '2026-03-07T10:00:00Z',
      endsAt: '2026-03-07T11:00:00Z',
    });
    const checkoutId = randomUUID();
    const outboxBefore = await db.outboxEvent.count();

    expect(await grpc.RestoreBookingsForCheckOut({ checkoutId })).toEqual({ restored: [], notRestored: [] });
    expect(await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId })).toEqual({ released: [] });
    expect(await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId })).toEqual({ released: [] });

    expect(await db.booking.findUniqueOrThrow({ where: { id: approved.id } })).toMatchObject({
      status: 'approved',
      version: approved.version,
      cancelledByCheckoutId: null,
    });
    expect(await db.checkoutRelease.count({ where: { checkoutId } })).toBe(0);
    expect(await db.outboxEvent.count()).toBe(outboxBefore);
    // Another check-out of the same student still works.
    const next = randomUUID();
    expect(await grpc.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId: next })).toEqual({
      released: [expect.objectContaining({ bookingId: approved.id, status: 'cancelled' })],
    });
  });
});

describe('callers', () => {
  it('refuses any service but checkout with FORBIDDEN, changing nothing', async () => {
    const room = await seedCoworking(db);
    const studentId = randomUUID();
    const booking = await seedBooking(db, {
      coworkingId: room.id,
      studentId,
      status: 'approved',
      startsAt: '2026-03-08T10:00:00Z',
      endsAt: '2026-03-08T11:00:00Z',
    });
    const asDuty = createGrpcClient(coworkingService, `127.0.0.1:${h.coworking.grpcPort}`, {
      name: 'coworking',
      auth: { service: 'duty' },
    });
    try {
      const checkoutId = randomUUID();
      await expect(asDuty.ReleaseBookingsForCheckOut({ userId: studentId, checkoutId })).rejects.toMatchObject({
        code: 'FORBIDDEN',
        details: expect.objectContaining({ caller: 'duty' }),
      });
      await expect(asDuty.RestoreBookingsForCheckOut({ checkoutId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      expect((await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).status).toBe('approved');
    } finally {
      asDuty.$close();
    }
  });
});
