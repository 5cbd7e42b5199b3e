import { randomUUID } from 'node:crypto';
import { TestClock } from '@campus/testkit';
import type { CloudEvent } from '@campus/platform';
import type { Booking, Coworking } from '../../src/domain/records';
import { CheckoutParticipant } from '../../src/services/checkout-participant.service';
import type { CheckoutStore, ReleaseOutcome } from '../../src/services/ports';

const AT = '2026-03-01T09:00:00.000Z';
const room: Coworking = {
  id: randomUUID(),
  building: '8',
  name: 'Loft',
  description: '',
  capacity: 4,
  available: true,
  createdAt: new Date(AT),
  updatedAt: new Date(AT),
  version: 1,
};
const booking = (status: Booking['status']): Booking =>
  ({
    id: randomUUID(),
    coworkingId: room.id,
    studentId: randomUUID(),
    startsAt: new Date('2026-03-01T12:00:00Z'),
    endsAt: new Date('2026-03-01T13:00:00Z'),
    status,
    nightReminderCount: 0,
    version: 2,
  }) as Booking;

/** A store answering `outcome`, recording the events the service asked it to write. */
function storeAnswering(outcome: (events: CloudEvent[]) => ReleaseOutcome): CheckoutStore & { events: CloudEvent[] } {
  const events: CloudEvent[] = [];
  return {
    events,
    release: async (input) => {
      const answer = outcome(events);
      if (answer.kind === 'released') for (const r of answer.released) events.push(...input.events(r.booking, room));
      return answer;
    },
    restore: async () => ({ restored: [], notRestored: [] }),
  };
}

describe('CheckoutParticipant', () => {
  const clock = new TestClock(AT);

  it('writes a cancelled event per released booking, naming the check-out and no actor', async () => {
    const cancelled = booking('cancelled');
    const store = storeAnswering(() => ({
      kind: 'released',
      released: [{ booking: cancelled, previousStatus: 'approved' }],
    }));
    const checkoutId = randomUUID();
    const released = await new CheckoutParticipant({ store, clock }).release({
      userId: cancelled.studentId,
      checkoutId,
    });
    expect(released).toEqual([{ booking: cancelled, previousStatus: 'approved' }]);
    expect(store.events).toEqual([
      expect.objectContaining({
        type: 'campus.coworking.booking.cancelled.v1',
        data: expect.objectContaining({
          bookingId: cancelled.id,
          status: 'cancelled',
          checkoutId,
          actorId: null,
          coworkingName: 'Loft',
          at: AT,
        }),
      }),
    ]);
  });

  it('refuses with COWRK_KEY_HELD naming the booking and the coworking when a key is out', async () => {
    const holding = booking('key_taken');
    const store = storeAnswering(() => ({ kind: 'key_held', booking: holding, coworking: room }));
    await expect(
      new CheckoutParticipant({ store, clock }).release({ userId: holding.studentId, checkoutId: randomUUID() }),
    ).rejects.toMatchObject({
      code: 'COWRK_KEY_HELD',
      kind: 'CONFLICT',
      details: { bookingId: holding.id, coworkingId: room.id, coworkingName: 'Loft', status: 'key_taken' },
      message: 'The student holds the key of Loft; it must come back first',
    });
    expect(store.events).toEqual([]);
  });

  it('a key said returned but not confirmed is COWRK_KEY_HELD waiting for an educator, not "it must come back"', async () => {
    const returned = booking('key_returned');
    const store = storeAnswering(() => ({ kind: 'key_held', booking: returned, coworking: room }));
    const refusal = new CheckoutParticipant({ store, clock }).release({
      userId: returned.studentId,
      checkoutId: randomUUID(),
    });
    await expect(refusal).rejects.toMatchObject({
      code: 'COWRK_KEY_HELD',
      details: { bookingId: returned.id, coworkingName: 'Loft', status: 'key_returned' },
      message:
        'The student says the key of Loft is back; an educator must confirm its return (complete the booking) first',
    });
    await expect(refusal).rejects.not.toMatchObject({ message: expect.stringContaining('must come back') });
    expect(store.events).toEqual([]);
  });

  it('writes a restored event per booking put back, in the status it is back in, naming the check-out', async () => {
    const back = booking('pending');
    const events: CloudEvent[] = [];
    const store: CheckoutStore = {
      release: async () => ({ kind: 'released', released: [] }),
      restore: async (input) => {
        events.push(...input.events(back, room));
        return { restored: [{ booking: back, previousStatus: 'pending' }], notRestored: [] };
      },
    };
    const checkoutId = randomUUID();
    const outcome = await new CheckoutParticipant({ store, clock }).restore({ checkoutId });
    expect(outcome.restored).toEqual([{ booking: back, previousStatus: 'pending' }]);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'campus.coworking.booking.restored.v1',
        subject: back.id,
        data: expect.objectContaining({ bookingId: back.id, status: 'pending', checkoutId, actorId: null, at: AT }),
      }),
    ]);
  });
});
