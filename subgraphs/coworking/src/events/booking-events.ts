import type { EventDataByType } from '@campus/contracts';
import { cloudEvent, type CloudEvent } from '@campus/platform';
import type { ExpirableStatus } from '../domain/expiry';
import type { Booking, Coworking } from '../domain/records';

/**
 * The coworking service's published events (CloudEvents on the campus exchange, written to the
 * outbox with the change). Their `data` is documented by
 * packages/contracts/events/campus.coworking.booking.*.json (→ docs/events.md) and typed by the
 * payload types generated from those schemas. Pure: the factory only builds the envelope.
 */
export const COWORKING_EVENT_SOURCE = '/campus/coworking';

/**
 * The steps of a booking that publish an event (one event type each, one payload shape). An expiry
 * publishes `campus.coworking.booking.expired.v1` (bookingExpiredEvent): the same shape plus the
 * status it expired from.
 */
export const BOOKING_EVENT_STEPS = [
  'requested',
  'approved',
  'rejected',
  'cancelled',
  'key_taken',
  'key_return_requested',
  'key_returned',
  'completed',
  'night_reminder',
  'restored',
] as const;
export type BookingEventStep = (typeof BOOKING_EVENT_STEPS)[number];
export type BookingEventType = `campus.coworking.booking.${BookingEventStep}.v1`;
/** The payload of every booking event (the contracts share it; a step without a contract fails tsc). */
export type BookingEventData = EventDataByType[BookingEventType];
/** A booking CloudEvent whose data matches its type's contract. */
export type BookingEvent<T extends BookingEventType = BookingEventType> = CloudEvent<EventDataByType[T]>;

export const bookingEventType = <S extends BookingEventStep>(step: S): `campus.coworking.booking.${S}.v1` =>
  `campus.coworking.booking.${step}.v1`;

export interface BookingEventStepInfo {
  /** Who took the step; null for the scheduler (night reminders) and check-outs (cancelled, restored). */
  actorId: string | null;
  /** A rejection's reason (required there), else omitted. */
  reason?: string | null;
  /** The check-out that cancelled the booking (cancelled) or was undone (restored), else omitted. */
  checkoutId?: string | null;
  /** When the step happened (the service clock's instant; a night reminder's firing time). */
  at: Date;
}

/** What of a booking the events carry (a full Booking record fits). */
export type BookingEventSource = Pick<
  Booking,
  'id' | 'coworkingId' | 'studentId' | 'startsAt' | 'endsAt' | 'status' | 'nightReminderCount'
>;

/** What every booking event says of the booking and its coworking, whatever happened to it. */
function bookingFields(booking: BookingEventSource, coworking: Pick<Coworking, 'id' | 'name' | 'building'>) {
  return {
    bookingId: booking.id,
    coworkingId: booking.coworkingId,
    coworkingName: coworking.name,
    building: coworking.building,
    studentId: booking.studentId,
    startsAt: booking.startsAt.toISOString(),
    endsAt: booking.endsAt.toISOString(),
  };
}

/**
 * A booking step's event (`campus.coworking.booking.<step>.v1`), from the booking as it is AFTER the
 * step (`data.status` is the new status). `step` may be the short step ('approved') or the full type.
 */
export function bookingEvent<S extends BookingEventStep>(
  step: S | `campus.coworking.booking.${S}.v1`,
  booking: BookingEventSource,
  coworking: Pick<Coworking, 'id' | 'name' | 'building'>,
  info: BookingEventStepInfo,
): BookingEvent<`campus.coworking.booking.${S}.v1`> {
  const type = (step.startsWith('campus.') ? step : bookingEventType(step as S)) as `campus.coworking.booking.${S}.v1`;
  const { status } = booking;
  // No step leads to expired: only the expiry job does, with its own event (and contract).
  if (status === 'expired') throw new Error(`An expired booking publishes bookingExpiredEvent, not ${type}`);
  const data: BookingEventData = {
    ...bookingFields(booking, coworking),
    status,
    actorId: info.actorId,
    reason: info.reason ?? null,
    checkoutId: info.checkoutId ?? null,
    nightReminderCount: booking.nightReminderCount,
    at: info.at.toISOString(),
  };
  return cloudEvent<EventDataByType[`campus.coworking.booking.${S}.v1`]>({
    source: COWORKING_EVENT_SOURCE,
    type,
    subject: booking.id,
    data,
    time: info.at,
  });
}

export const BOOKING_EXPIRED_EVENT_TYPE = 'campus.coworking.booking.expired.v1';
/** The payload of `campus.coworking.booking.expired.v1`: a booking event's plus `previousStatus`. */
export type BookingExpiredData = EventDataByType[typeof BOOKING_EXPIRED_EVENT_TYPE];

/**
 * The expiry of a booking (by the scheduler: no actor) whose slot ended while it was `previousStatus`,
 * from the booking as it is after the expiry (`data.status` is 'expired').
 */
export function bookingExpiredEvent(
  booking: BookingEventSource,
  coworking: Pick<Coworking, 'id' | 'name' | 'building'>,
  info: { previousStatus: ExpirableStatus; at: Date },
): CloudEvent<BookingExpiredData> {
  const data: BookingExpiredData = {
    ...bookingFields(booking, coworking),
    status: 'expired',
    previousStatus: info.previousStatus,
    actorId: null,
    reason: null,
    checkoutId: null,
    nightReminderCount: booking.nightReminderCount,
    at: info.at.toISOString(),
  };
  return cloudEvent<BookingExpiredData>({
    source: COWORKING_EVENT_SOURCE,
    type: BOOKING_EXPIRED_EVENT_TYPE,
    subject: booking.id,
    data,
    time: info.at,
  });
}
