import { z } from 'zod';
import { buildingCodeSchema } from '@campus/platform';
import type { BookingStatus } from '../domain/records';

/**
 * Inputs of the catalogue, the busy slots, the board and the history, validated here only
 * (platform `parseInput`): shapes and sizes (VALIDATION_ERROR with per-field details).
 */

export const MAX_COWORKING_NAME = 80;
export const MAX_COWORKING_DESCRIPTION = 1000;
export const MIN_CAPACITY = 1;
export const MAX_CAPACITY = 100;
/** The longest window `coworkings(from, to)` and `busySlots` look at. */
export const MAX_WINDOW_DAYS = 31;
const DAY_MS = 24 * 60 * 60 * 1000;

const id = z.uuid({ message: 'must be a UUID' });
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const instant = z.date({ message: 'must be a date-time' });

const building = buildingCodeSchema;
const name = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_COWORKING_NAME, `at most ${MAX_COWORKING_NAME} characters`);
const description = z.string().trim().max(MAX_COWORKING_DESCRIPTION, `at most ${MAX_COWORKING_DESCRIPTION} characters`);
const capacity = z
  .number()
  .int('must be a whole number')
  .min(MIN_CAPACITY, `must be between ${MIN_CAPACITY} and ${MAX_CAPACITY}`)
  .max(MAX_CAPACITY, `must be between ${MIN_CAPACITY} and ${MAX_CAPACITY}`);

export const createCoworkingSchema = z.object({
  input: z.object({
    building,
    name,
    description: optional(description).transform((d) => d ?? ''),
    capacity,
    available: optional(z.boolean()).transform((a) => a ?? true),
  }),
});

export const updateCoworkingSchema = z.object({
  input: z.object({
    id,
    name: optional(name),
    description: optional(description),
    capacity: optional(capacity),
    available: optional(z.boolean()),
    version: optional(z.number().int('must be a whole number').min(1, 'must be ≥ 1')),
  }),
});

/** A time window: both ends or neither, `from` before `to`, at most MAX_WINDOW_DAYS long. */
const window = <T extends z.ZodRawShape>(shape: T) =>
  z.object({ ...shape, from: optional(instant), to: optional(instant) }).superRefine((value, ctx) => {
    const { from, to } = value as { from?: Date; to?: Date };
    if ((from === undefined) !== (to === undefined)) {
      ctx.addIssue({ code: 'custom', path: [from ? 'to' : 'from'], message: 'give both from and to, or neither' });
    } else if (from && to && to.getTime() <= from.getTime()) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    } else if (from && to && to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY_MS) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: `the window is at most ${MAX_WINDOW_DAYS} days` });
    }
  });

export const coworkingsSchema = window({
  building: optional(building),
  availableOnly: optional(z.boolean()).transform((a) => a ?? false),
});

export const busySlotsSchema = window({});

export const idArgsSchema = z.object({ id });

export const boardSchema = z.object({ building: optional(building) });

/** GraphQL BookingStatus (UPPER) → the domain's status (lower). */
export const bookingStatusSchema = z
  .enum([
    'PENDING',
    'APPROVED',
    'REJECTED',
    'KEY_TAKEN',
    'KEY_RETURN_REQUESTED',
    'KEY_RETURNED',
    'COMPLETED',
    'CANCELLED',
    'EXPIRED',
  ])
  .transform((s): BookingStatus => s.toLowerCase() as BookingStatus);

export const bookingFilterSchema = z.object({
  filter: optional(
    z.object({
      coworkingId: optional(id),
      studentId: optional(id),
      building: optional(building),
      status: optional(bookingStatusSchema),
      from: optional(instant),
      to: optional(instant),
    }),
  ).transform((f) => f ?? {}),
  page: z.number().nullish(),
  size: z.number().nullish(),
});

export const userBookingsSchema = z.object({
  status: optional(bookingStatusSchema),
  page: z.number().nullish(),
  size: z.number().nullish(),
});

export type CreateCoworkingInput = z.output<typeof createCoworkingSchema>['input'];
export type UpdateCoworkingInput = z.output<typeof updateCoworkingSchema>['input'];

/** ReleaseBookingsForCheckOut (gRPC). */
export const releaseForCheckoutSchema = z.object({ userId: id, checkoutId: id });

/** RestoreBookingsForCheckOut (gRPC). */
export const restoreForCheckoutSchema = z.object({ checkoutId: id });
