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

export const checkOutCohortSchema = z.object({
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
  reason,
});

export const batchIdSchema = z.object({ id });

export const sagaStatusSchema = optional(
  z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(SAGA_STATUSES)),
);

export const checkoutIdSchema = z.object({ checkoutId: id });
