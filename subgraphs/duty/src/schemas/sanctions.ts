import { z } from 'zod';
import { buildingCodeSchema } from '@campus/platform';
import type { SanctionStatus } from '../domain/records';

/**
 * Inputs of resolveSanction and the sanction lists, validated here only (platform `parseInput`):
 * shapes and sizes (VALIDATION_ERROR with per-field details). A blank note is the service's
 * DUTY_RESOLUTION_NOTE_REQUIRED, not a shape error.
 */

const id = z.uuid({ message: 'must be a UUID' });
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

/** The longest resolution note kept. */
export const MAX_RESOLUTION_NOTE = 2000;

export const resolveSanctionSchema = z.object({
  sanctionId: id,
  note: z.string().max(MAX_RESOLUTION_NOTE, `at most ${MAX_RESOLUTION_NOTE} characters`),
});

/** GraphQL SanctionStatus (UPPER) → the domain's status (lower). */
const sanctionStatus = z.enum(['OPEN', 'RESOLVED']).transform((s): SanctionStatus => s.toLowerCase() as SanctionStatus);

export const sanctionStatusSchema = optional(sanctionStatus);

export const sanctionFilterSchema = z.object({
  building: optional(buildingCodeSchema),
  entrance: optional(z.number().int().min(1).max(99)),
  status: optional(sanctionStatus),
  userId: optional(id),
});

export const sanctionIdSchema = id;
