import { z } from 'zod';
import { buildingCodeSchema } from '@campus/platform';
import type { SwapStatus } from '../domain/records';

/**
 * Inputs of the swap mutations and the swap list, validated here only (platform `parseInput`):
 * shapes and sizes (VALIDATION_ERROR with per-field details). The swap rules have DUTY_ codes.
 */

const id = z.uuid({ message: 'must be a UUID' });
/** An optional reason: trimmed, blank is none. */
const reason = z
  .string()
  .max(500, 'at most 500 characters')
  .nullish()
  .transform((v) => (v?.trim() ? v.trim() : null));
const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const swapRequestSchema = z.object({ scheduleId: id, withScheduleId: id, reason });

export const swapDecisionSchema = z.object({ swapId: id, reason });

/** GraphQL DutySwapStatus (UPPER) → the domain's status (lower). */
const swapStatus = z
  .enum(['REQUESTED', 'ACCEPTED', 'APPROVED', 'DECLINED', 'REJECTED', 'CANCELLED'])
  .transform((s): SwapStatus => s.toLowerCase() as SwapStatus);

export const swapFilterSchema = z.object({
  building: optional(buildingCodeSchema),
  entrance: optional(z.number().int().min(1).max(99)),
  status: optional(swapStatus),
});
