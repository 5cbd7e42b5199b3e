import { z } from 'zod';
import { buildingCodeSchema, isCalendarDate } from '@campus/platform';
import { MAX_REJECTION_REASON_LENGTH } from '../domain/limits';
import { CHECKLIST_CATEGORIES, type ChecklistCategory } from '../domain/records';

/**
 * Inputs of the report mutations and the review list, validated here only (platform
 * `parseInput`): shapes and sizes (VALIDATION_ERROR with per-field details). The report rules
 * (duty day, deadline, completeness) have DUTY_ codes.
 */

const id = z.uuid({ message: 'must be a UUID' });
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);
const date = z.string().refine(isCalendarDate, 'must be a calendar date YYYY-MM-DD');

/** GraphQL ChecklistCategory (KITCHEN_STOVE) → the domain's category (kitchen_stove). */
export const checklistCategory = z
  .enum(CHECKLIST_CATEGORIES.map((c) => c.toUpperCase()) as [string, ...string[]])
  .transform((c) => c.toLowerCase() as ChecklistCategory);

export const photoUploadRequestSchema = z.object({ scheduleId: id, category: checklistCategory });

export const removePhotoSchema = z.object({ scheduleId: id, photoId: id });

export const scheduleIdSchema = id;

/** The reason is required (a blank one is refused by the rule, DUTY_REJECTION_REASON_REQUIRED). */
export const rejectReportSchema = z.object({
  scheduleId: id,
  reason: z.string().max(MAX_REJECTION_REASON_LENGTH, `at most ${MAX_REJECTION_REASON_LENGTH} characters`),
});

export const reportFilterSchema = z
  .object({
    building: optional(buildingCodeSchema),
    entrance: optional(z.number().int().min(1).max(99)),
    from: optional(date),
    to: optional(date),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'from must not be after to', path: ['to'] });

export const roomIdSchema = id;
