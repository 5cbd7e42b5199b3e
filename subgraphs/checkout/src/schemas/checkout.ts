import { buildingCodeSchema, isCalendarDate, roomNumberSchema } from '@campus/platform';
import { z } from 'zod';
import { MAX_BATCH_SIZE, MAX_REASON_LENGTH } from '../domain/limits';
import { SAGA_STATUSES } from '../domain/records';

/**
 * Inputs of check-out requests and batch queries, validated here only (platform `parseInput`):
 * shapes and sizes (VALIDATION_ERROR with per-field details). GraphQL enums arrive in UPPER case.
 */

const id = z.uuid({ message: 'must be a UUID' });
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? null);
const reason = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(MAX_REASON_LENGTH, `at most ${MAX_REASON_LENGTH} characters`);

export const checkOutSchema = z.object({
  userIds: z
    .array(id)
    .min(1, 'name at least one student')
    .max(MAX_BATCH_SIZE, `at most ${MAX_BATCH_SIZE} students per batch`)
    .transform((ids) => [...new Set(ids)]),
  reason,
});

export const EMPTY_COHORT_MESSAGE = 'name a building, entrance, floor, room or checkOutDateTo, or pass everyone: true';

/**
 * A cohort names at least one field; the whole campus (every active student: the end of a
 * programme) only with `everyone: true` and no filter, so that an empty or forgotten filter never
 * checks out everyone by accident.
 */
export const checkOutCohortSchema = z
  .object({
    filter: z
      .object({
        building: optional(buildingCodeSchema),
        entrance: optional(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(99, 'must be ≤ 99')),
        floor: optional(z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(99, 'must be ≤ 99')),
        room: optional(roomNumberSchema),
        checkOutDateTo: optional(z.string().refine(isCalendarDate, 'must be a date YYYY-MM-DD')),
      })
      .nullish()
      .transform((f) => f ?? {}),
    everyone: z
      .boolean()
      .nullish()
      .transform((v) => v ?? false),
    reason,
  })
  .superRefine((input, ctx) => {
    const named = Object.values(input.filter).some((v) => v != null);
    if (!named && !input.everyone) ctx.addIssue({ code: 'custom', path: ['filter'], message: EMPTY_COHORT_MESSAGE });
    if (named && input.everyone)
      ctx.addIssue({ code: 'custom', path: ['everyone'], message: 'everyone: true takes no filter; leave it out' });
  });

export const batchIdSchema = z.object({ id });

export const sagaStatusSchema = optional(
  z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(SAGA_STATUSES)),
);

export const checkoutIdSchema = z.object({ checkoutId: id });
