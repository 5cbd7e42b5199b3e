import { validateEvent } from '@campus/contracts';
import type { Booking } from '../../src/domain/records';
import {
  BOOKING_EVENT_STEPS,
  COWORKING_EVENT_SOURCE,
  bookingEvent,
  bookingExpiredEvent,
} from '../../src/events/booking-events';

// Every booking step's event is a CloudEvent its JSON Schema contract accepts: a payload drifting
// from packages/contracts/events/campus.coworking.booking.*.json fails here, not at a consumer.
const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const at = new Date('2026-03-10T21:30:00.000Z');
const coworking = { id: id(1), name: 'Коворкинг «Орбита»', building: 'A' };
const booking: Pick<
  Booking,
  'id' | 'coworkingId' | 'studentId' | 'startsAt' | 'endsAt' | 'status' | 'nightReminderCount'
> = {
  id: id(2),
  coworkingId: id(1),
  studentId: id(3),
  startsAt: new Date('2026-03-10T17:00:00.000Z'),
  endsAt: new Date('2026-03-10T19:00:00.000Z'),
  status: 'key_taken',
  nightReminderCount: 1,
};

describe('booking events', () => {
  it.each(BOOKING_EVENT_STEPS)('%s: its contract accepts it', (step) => {
    const event = bookingEvent(step, booking, coworking, { actorId: step === 'night_reminder' ? null : id(4), at });
    expect(event.type).toBe(`campus.coworking.booking.${step}.v1`);
    expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
  });

  it('carries the booking, the coworking and the step', () => {
    const event = bookingEvent('cancelled', { ...booking, status: 'cancelled' }, coworking, {
      actorId: null,
      checkoutId: id(9),
      at,
    });
    expect(event).toMatchObject({ source: COWORKING_EVENT_SOURCE, subject: id(2), time: at.toISOString() });
    expect(event.data).toEqual({
      bookingId: id(2),
      coworkingId: id(1),
      coworkingName: 'Коворкинг «Орбита»',
      building: 'A',
      studentId: id(3),
      startsAt: '2026-03-10T17:00:00.000Z',
      endsAt: '2026-03-10T19:00:00.000Z',
      status: 'cancelled',
      actorId: null,
      reason: null,
      checkoutId: id(9),
      nightReminderCount: 1,
      at: at.toISOString(),
    });
  });

  it('takes the full type as well as the step, and keeps a reason', () => {
    const event = bookingEvent('campus.coworking.booking.rejected.v1', { ...booking, status: 'rejected' }, coworking, {
      actorId: id(4),
      reason: 'Уборка',
      at,
    });
    expect(event.type).toBe('campus.coworking.booking.rejected.v1');
    expect(event.data).toMatchObject({ status: 'rejected', actorId: id(4), reason: 'Уборка', checkoutId: null });
  });

  it.each(['pending', 'approved'] as const)(
    'expired (from %s): its contract accepts it, with previousStatus',
    (from) => {
      const event = bookingExpiredEvent({ ...booking, status: 'expired', nightReminderCount: 0 }, coworking, {
        previousStatus: from,
        at,
      });
      expect(event).toMatchObject({
        type: 'campus.coworking.booking.expired.v1',
        source: COWORKING_EVENT_SOURCE,
        subject: id(2),
        time: at.toISOString(),
      });
      expect(event.data).toEqual({
        bookingId: id(2),
        coworkingId: id(1),
        coworkingName: 'Коворкинг «Орбита»',
        building: 'A',
        studentId: id(3),
        startsAt: '2026-03-10T17:00:00.000Z',
        endsAt: '2026-03-10T19:00:00.000Z',
        status: 'expired',
        previousStatus: from,
        actorId: null,
        reason: null,
        checkoutId: null,
        nightReminderCount: 0,
        at: at.toISOString(),
      });
      expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
      // previousStatus is required and only pending/approved expire.
      const without: Record<string, unknown> = { ...event.data };
      delete without.previousStatus;
      expect(validateEvent({ ...event, data: without }).valid).toBe(false);
      expect(validateEvent({ ...event, data: { ...event.data, previousStatus: 'key_taken' } }).valid).toBe(false);
    },
  );

  it('a step event is never built from an expired booking (the expiry has its own event)', () => {
    expect(() =>
      bookingEvent('cancelled', { ...booking, status: 'expired' }, coworking, { actorId: null, at }),
    ).toThrow(/bookingExpiredEvent/);
  });

  it('is refused by its contract when the status is not a booking status', () => {
    const event = bookingEvent('approved', booking, coworking, { actorId: id(4), at });
    expect(validateEvent({ ...event, data: { ...event.data, status: 'lost' } }).valid).toBe(false);
  });
});
