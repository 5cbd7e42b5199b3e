// PrismaBookings against real PostgreSQL, without the transports: the invariants' violations become
// the catalog's codes, a moved-on row is 'stale', and a failing step leaves nothing half-written.
import { randomUUID } from 'node:crypto';
import { Closers, DomainError, Metrics, openDatabase } from '@campus/platform';
import { authOf, createTestDatabase, staff, student, type TestDatabase } from '@campus/testkit';
import { requestBooking, transition } from '../../src/domain/booking';
import type { Booking } from '../../src/domain/records';
import { PrismaBookings, violatedConstraint } from '../../src/repository/bookings.repository';
import { PrismaClient, type CoworkingDatabase } from '../../src/repository/database';

const NOW = new Date('2026-03-02T09:00:00.000Z');
const educator = authOf(staff('educator'));

let database: TestDatabase;
let db: CoworkingDatabase;
let store: PrismaBookings;
const closers = new Closers();

beforeAll(async () => {
  database = await createTestDatabase('coworking');
  db = openDatabase(PrismaClient, {
    url: database.url,
    poolSize: 4,
    metrics: new Metrics('coworking'),
    closers,
  }).prisma;
  store = new PrismaBookings(db);
});

afterAll(async () => {
  await closers.closeAll();
  await database?.drop();
});

async function newCoworking(): Promise<string> {
  const id = randomUUID();
  await db.coworking.create({ data: { id, building: '8', name: `Room ${id.slice(0, 8)}`, capacity: 4 } });
  return id;
}

const at = (hhmm: string) => new Date(`2026-03-03T${hhmm}:00+03:00`);

async function pending(coworkingId: string, from: string, to: string, owner = authOf(student())): Promise<Booking> {
  const booking = requestBooking(
    { id: randomUUID(), coworkingId, purpose: 'Practice', startsAt: at(from), endsAt: at(to) },
    owner,
    NOW,
  );
  return store.insertBooking(
    booking,
    () => undefined,
    () => [],
  );
}

async function step(booking: Booking, action: Parameters<typeof transition>[1], actor = educator) {
  const next = transition(booking, action, actor, NOW, 'why');
  const written = await store.updateBooking(next, booking, () => []);
  if (written === 'stale') throw new Error('stale');
  return written;
}

const refusal = (promise: Promise<unknown>) => promise.then(() => null).catch((e: unknown) => e as DomainError);

describe('PrismaBookings', () => {
  it('an overlapping approval is COWRK_SLOT_TAKEN naming the approved booking', async () => {
    const coworkingId = await newCoworking();
    const first = await step(await pending(coworkingId, '10:00', '12:00'), 'approve');
    const second = await pending(coworkingId, '11:00', '13:00');
    const error = await refusal(step(second, 'approve'));
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({
      code: 'COWRK_SLOT_TAKEN',
      details: { bookingId: first.id, coworkingId, forBookingId: second.id },
    });
    expect(await db.booking.findUniqueOrThrow({ where: { id: second.id } })).toMatchObject({
      status: 'pending',
      version: 1,
    });
    // Adjacent slots do not overlap.
    expect((await step(await pending(coworkingId, '12:00', '13:00'), 'approve')).status).toBe('approved');
  });

  it('a second key out of one coworking is COWRK_KEY_ALREADY_OUT naming the holder', async () => {
    const coworkingId = await newCoworking();
    const holder = await step(await step(await pending(coworkingId, '10:00', '11:00'), 'approve'), 'handOverKey');
    const next = await step(await pending(coworkingId, '11:00', '12:00'), 'approve');
    const error = await refusal(step(next, 'handOverKey'));
    expect(error).toMatchObject({ code: 'COWRK_KEY_ALREADY_OUT', details: { bookingId: holder.id } });
  });

  it('a write on a moved-on row is stale and writes nothing', async () => {
    const booking = await pending(await newCoworking(), '10:00', '11:00');
    await step(booking, 'approve');
    const next = transition(booking, 'reject', educator, NOW, 'late');
    expect(await store.updateBooking(next, booking, () => [])).toBe('stale');
    expect(await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({
      status: 'approved',
      version: 2,
    });
  });

  it('a step whose events fail leaves the row as it was', async () => {
    const booking = await pending(await newCoworking(), '10:00', '11:00');
    const next = transition(booking, 'approve', educator, NOW);
    const error = await refusal(
      store.updateBooking(next, booking, () => {
        throw new Error('no events');
      }),
    );
    expect(error).toBeInstanceOf(Error);
    expect(await db.booking.findUniqueOrThrow({ where: { id: booking.id } })).toMatchObject({
      status: 'pending',
      version: 1,
    });
    expect(await db.outboxEvent.count()).toBe(0);
  });

  it('reads no violation into other errors', () => {
    expect(violatedConstraint(new Error('boom'))).toBeNull();
    expect(violatedConstraint({ code: '23505', message: 'duplicate key "coworkings_building_name_key"' })).toBeNull();
    expect(
      violatedConstraint({
        code: 'P2010',
        meta: {
          driverAdapterError: { cause: { originalCode: '23P01', originalMessage: 'bookings_no_overlapping_slots' } },
        },
      }),
    ).toBe('bookings_no_overlapping_slots');
  });
});
