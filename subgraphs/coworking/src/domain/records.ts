// The coworking service's records (domain spec §7). Plain data: rules live beside them in domain/,
// persistence in repository/.

/** A coworking room of a building, in the catalogue staff keep. */
export interface Coworking {
  id: string;
  building: string;
  name: string;
  description: string;
  capacity: number;
  /** Unavailable coworkings take no new bookings (existing ones stay). */
  available: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Optimistic concurrency for staff edits. */
  version: number;
}

/**
 * pending → approved | rejected → key_taken → key_return_requested → key_returned → completed;
 * cancelled by the student before the key is taken (or by a check-out); expired when the slot ended
 * while it was still pending (nobody decided) or approved (the key was never taken).
 */
export const BOOKING_STATUSES = [
  'pending',
  'approved',
  'rejected',
  'key_taken',
  'key_return_requested',
  'key_returned',
  'completed',
  'cancelled',
  'expired',
] as const;
export type BookingStatus = (typeof BOOKING_STATUSES)[number];

/** Statuses in which a booking occupies its slot (overlaps refused by an exclusion constraint). */
export const SLOT_HOLDING_STATUSES: readonly BookingStatus[] = [
  'approved',
  'key_taken',
  'key_return_requested',
  'key_returned',
];
/** Statuses in which the booking's student has the coworking's key (at most one per coworking). */
export const KEY_HOLDING_STATUSES: readonly BookingStatus[] = ['key_taken', 'key_return_requested', 'key_returned'];
/** Statuses of a student's active booking (at most one per student). */
export const ACTIVE_STATUSES: readonly BookingStatus[] = [
  'pending',
  'approved',
  'key_taken',
  'key_return_requested',
  'key_returned',
];

export interface Booking {
  id: string;
  coworkingId: string;
  studentId: string;
  purpose: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  createdAt: Date;
  decidedBy: string | null;
  decidedAt: Date | null;
  rejectionReason: string | null;
  keyTakenAt: Date | null;
  keyTakenBy: string | null;
  keyReturnRequestedAt: Date | null;
  keyReturnRequestedBy: string | null;
  keyReturnedAt: Date | null;
  completedAt: Date | null;
  completedBy: string | null;
  cancelledAt: Date | null;
  cancelledBy: string | null;
  /** Set when a check-out cancelled it (so the check-out can restore it). */
  cancelledByCheckoutId: string | null;
  /** The last night reminder sent while the key was out (board shows it). */
  lastNightReminderAt: Date | null;
  nightReminderCount: number;
  version: number;
}

/** Campus opening hours of the coworkings and booking limits (config). */
export interface BookingRules {
  /** HH:MM campus time: a slot starts at or after it… */
  opensAt: string;
  /** …and ends at or before it (HH:MM; "24:00" = midnight). */
  closesAt: string;
  maxSlotMinutes: number;
  /** How far ahead a slot may be booked. */
  maxDaysAhead: number;
}

/**
 * A student's account as identity knows it when they ask for a slot (not from the token, which
 * outlives a check-out by up to 15 minutes).
 */
export interface StudentAccount {
  id: string;
  isActive: boolean;
}
