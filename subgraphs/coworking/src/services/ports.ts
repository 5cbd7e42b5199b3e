/**
 * The ports the services depend on. Adapters implement them: repository/ (PostgreSQL through
 * Prisma), adapters/ (anything else); tests substitute in-memory fakes. One section per topic.
 */
import type { CloudEvent, Page, PageRequest } from '@campus/platform';
import type { ExpirableStatus } from '../domain/expiry';
import type { Booking, BookingStatus, Coworking, StudentAccount } from '../domain/records';

// ── catalogue (W1) ──

/** A new coworking, validated. */
export interface CoworkingDraft {
  building: string;
  name: string;
  description: string;
  capacity: number;
  available: boolean;
}

/** The fields an edit changes (absent: unchanged). */
export interface CoworkingChanges {
  name?: string;
  description?: string;
  capacity?: number;
  available?: boolean;
}

export interface CatalogueStore {
  /** Inserts it; COWRK_NAME_TAKEN when the building already has that name. */
  create(coworking: CoworkingDraft & { id: string; at: Date }): Promise<Coworking>;
  /**
   * Applies `changes` if the coworking is still at `expectedVersion` (any version when null):
   * the updated coworking, 'stale' when it moved on, null when there is none; COWRK_NAME_TAKEN as create.
   */
  update(
    id: string,
    changes: CoworkingChanges,
    expectedVersion: number | null,
    at: Date,
  ): Promise<Coworking | 'stale' | null>;
  find(id: string): Promise<Coworking | null>;
  byIds(ids: readonly string[]): Promise<Coworking[]>;
  /** By building, then name. */
  list(query: { building?: string; availableOnly: boolean }): Promise<Coworking[]>;
  /** Slot-holding bookings of these coworkings overlapping [from, to), by start: one query for all. */
  busyBookings(coworkingIds: readonly string[], from: Date, to: Date): Promise<Booking[]>;
}

/** The campus layout as identity knows it now (clients/identity.client.ts), never cached. */
export interface CampusLayout {
  /**
   * Whether identity's layout has a building with this code. Identity's own refusals as the
   * platform gRPC client raises them: UNAVAILABLE (kind) when it cannot answer.
   */
  buildingExists(building: string): Promise<boolean>;
}

// ── board, history, one booking (W1) ──

export interface BookingListQuery {
  coworkingId?: string;
  studentId?: string;
  building?: string;
  status?: BookingStatus;
  /** Slot ends after. */
  from?: Date;
  /** Slot starts before. */
  to?: Date;
}

/** One coworking's line on the board, as stored. */
export interface BoardRow {
  coworking: Coworking;
  current: Booking | null;
  keyHolder: Booking | null;
}

export interface BoardStore {
  findBooking(id: string): Promise<Booking | null>;
  bookingsByIds(ids: readonly string[]): Promise<Booking[]>;
  /** Newest first (slot start, then id). */
  listBookings(query: BookingListQuery, page: PageRequest): Promise<Page<Booking>>;
  /** Pages of many students' bookings (newest first), in one statement: one page per student, in order. */
  pagesOfStudents(
    studentIds: readonly string[],
    status: BookingStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Booking>[]>;
  /** Every coworking (of a building) with the booking whose slot holds `now` and the key holder. */
  board(building: string | undefined, now: Date): Promise<BoardRow[]>;
}

// ── check-out saga participant (W1) ──

/** A booking a check-out cancelled, with the status it had. */
export interface ReleasedBooking {
  booking: Booking;
  previousStatus: BookingStatus;
}

/** What ReleaseBookingsForCheckOut found: the bookings it cancelled (or had cancelled, on a repeat), or a key out. */
export type ReleaseOutcome =
  | { kind: 'released'; released: ReleasedBooking[] }
  | { kind: 'key_held'; booking: Booking; coworking: Coworking };

/** Why a booking a check-out cancelled stayed cancelled when the check-out was undone. */
export type NotRestoredReason = 'slot_taken' | 'slot_passed' | 'active_booking_exists';

export interface RestoreOutcome {
  restored: ReleasedBooking[];
  notRestored: (ReleasedBooking & { reason: NotRestoredReason })[];
}

/** The events of one booking step, built by the service from the booking after it. */
export type BookingEvents = (booking: Booking, coworking: Coworking) => CloudEvent[];

export interface CheckoutStore {
  /**
   * Once per check-out (a repeat answers what the first did, changing nothing): unless the student
   * holds a key, cancels their pending/approved bookings and records what they were, with `events`,
   * in one transaction. After the check-out was undone (restore), it changes nothing and answers
   * what it had released, if anything (a late call: nothing).
   */
  release(input: { studentId: string; checkoutId: string; at: Date; events: BookingEvents }): Promise<ReleaseOutcome>;
  /**
   * Puts back what the check-out cancelled, each in the status it had, unless its slot passed or
   * was taken meanwhile (or the student booked anew), with `events` of each booking put back, in one
   * transaction; once (a repeat answers the same, writing nothing). Records that the check-out was
   * undone even when it had released nothing, so that a late release changes nothing.
   */
  restore(input: { checkoutId: string; at: Date; events: BookingEvents }): Promise<RestoreOutcome>;
}

// ── W2: the booking lifecycle's ports go below ──

/** The status and version a step read: the row is written only if it still has both. */
export interface BookingExpectation {
  status: BookingStatus;
  version: number;
}

export interface BookingStore {
  findBooking(id: string): Promise<Booking | null>;
  /** The student's active booking (ACTIVE_STATUSES), if any. */
  activeBookingOf(studentId: string): Promise<Booking | null>;
  /**
   * One transaction: reads the coworking (NOT_FOUND/unavailable decided by `check`, which throws to
   * write nothing), inserts the booking and its events (built from the coworking read there). COWRK_ACTIVE_BOOKING_EXISTS when the
   * student has an active booking (the database's partial unique index decides under races).
   */
  insertBooking(
    booking: Booking,
    check: (coworking: Coworking | null) => void,
    events: BookingEvents,
  ): Promise<Booking>;
  /**
   * One transaction: writes `next` if the row is still at `expected` (else 'stale', nothing
   * written) with its events (built from the coworking read there). Constraint violations become COWRK_SLOT_TAKEN, COWRK_KEY_ALREADY_OUT,
   * COWRK_ACTIVE_BOOKING_EXISTS (details name the booking in the way); nothing is half-written.
   */
  updateBooking(next: Booking, expected: BookingExpectation, events: BookingEvents): Promise<Booking | 'stale'>;
}

/** Students' accounts as identity knows them now (clients/identity.client.ts). */
export interface StudentAccounts {
  /**
   * One lookup: the account, or null when identity does not know the user;
   * COWRK_DEPENDENCY_UNAVAILABLE (details.dependency 'identity') when identity cannot answer.
   */
  accountOf(userId: string): Promise<StudentAccount | null>;
}

// ── W3: night reminders' ports go below ──

/** A booking whose key is out, with what its reminder names of the coworking. */
export interface KeyOutBooking {
  booking: Booking;
  coworking: Pick<Coworking, 'id' | 'name' | 'building'>;
}

export interface NightReminderStore {
  /** Bookings whose key is out now and was taken by `dueAt`, not yet reminded for this firing. */
  keysOut(dueAt: Date): Promise<KeyOutBooking[]>;
  /**
   * One transaction: records the reminder (booking × firing); only if that is new and the key is
   * still out, bumps the booking's reminder count and writes `events` (built from the updated
   * booking). The updated booking, or null when another run was first or the key came back.
   */
  remind(
    bookingId: string,
    dueAt: Date,
    sentAt: Date,
    events: (reminded: KeyOutBooking) => readonly CloudEvent[],
  ): Promise<Booking | null>;
}

// ── booking expiry's ports go below ──

/** A booking the expiry job ended, with the status it expired from. */
export interface ExpiredBooking {
  booking: Booking;
  previousStatus: ExpirableStatus;
}

export interface BookingExpiryStore {
  /**
   * One transaction: up to `limit` bookings due to expire at `now` (domain/expiry.ts; slot end
   * first), skipping rows another transaction holds (a step on them, a check-out), become expired
   * (version bumped), each with `events` (built from the expired booking). The bookings it expired;
   * fewer than `limit` when no more are due (or the rest are held meanwhile).
   */
  expireDue(input: {
    now: Date;
    limit: number;
    events: (expired: ExpiredBooking, coworking: Pick<Coworking, 'id' | 'name' | 'building'>) => CloudEvent[];
  }): Promise<ExpiredBooking[]>;
}
