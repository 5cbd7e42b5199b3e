import { z } from 'zod';

/**
 * Inputs of the booking mutations, validated here only (platform `parseInput`): shapes and sizes
 * (VALIDATION_ERROR with per-field details). The slot rules and a blank purpose have COWRK_ codes
 * (domain/slots.ts, domain/booking.ts).
 */

const MAX_TEXT = 500;
const id = z.uuid({ message: 'must be a UUID' });
const instant = z.date({ message: 'must be an ISO-8601 date-time' });

export const requestBookingSchema = z.object({
  coworkingId: id,
  startsAt: instant,
  endsAt: instant,
  // Trimmed; blank is COWRK_PURPOSE_REQUIRED (the domain's rule), too long a VALIDATION_ERROR.
  purpose: z.string().trim().max(MAX_TEXT, `at most ${MAX_TEXT} characters`),
});
export type RequestBookingInput = z.output<typeof requestBookingSchema>;

export const bookingStepSchema = z.object({
  bookingId: id,
  /** Trimmed, blank is none. */
  reason: z
    .string()
    .max(MAX_TEXT, `at most ${MAX_TEXT} characters`)
    .nullish()
    .transform((v) => (v?.trim() ? v.trim() : null)),
  /** The version the caller read: a stale one is refused with CONFLICT (absent: any). */
  version: z
    .number()
    .int()
    .min(1)
    .nullish()
    .transform((v) => v ?? null),
});
export type BookingStepInput = z.output<typeof bookingStepSchema>;
