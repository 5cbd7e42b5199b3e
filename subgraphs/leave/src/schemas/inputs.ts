import { z } from 'zod';
import { buildingCodeSchema, roomNumberSchema } from '@campus/platform';
import { DOCUMENT_KINDS } from '../domain/documents';
import { MAX_APPROVED_LEAVES_USERS } from '../domain/limits';

/**
 * Input DTOs of every transport, validated here and only here (with platform `parseInput`). Shapes
 * and sizes are checked (VALIDATION_ERROR with per-field details); business rules (period, phone,
 * reasons…) are the aggregate's, with their own LEAVE_ codes.
 */

const id = z.uuid({ message: 'must be a UUID' });
const date = z.date({ message: 'must be an ISO-8601 date-time' });
const LEAVE_STATUSES = ['PENDING', 'APPROVED', 'REJECTED', 'WITHDRAWN'] as const;

export const idSchema = id;

export const submitInputSchema = z.object({
  leaveAt: date,
  returnAt: date,
  reason: z.string().max(1000, 'at most 1000 characters'),
  contactPhone: z.string().max(32, 'at most 32 characters'),
});

export const decideInputSchema = z.object({
  id,
  decision: z.enum(['APPROVE', 'REJECT']),
  reason: z.string().max(1000, 'at most 1000 characters').nullish(),
});

export const documentKindSchema = z.enum(DOCUMENT_KINDS);

export const documentRefSchema = z.object({ applicationId: id, documentId: id });

export const uploadRequestSchema = z.object({ applicationId: id, kind: documentKindSchema });

const optional = <T extends z.ZodType>(schema: T) => schema.nullish().transform((v) => v ?? undefined);

export const listFilterSchema = z
  .object({
    status: optional(z.enum(LEAVE_STATUSES)),
    building: optional(buildingCodeSchema),
    entrance: optional(z.number().int().min(1).max(99)),
    room: optional(roomNumberSchema),
    from: optional(date),
    to: optional(date),
    applicantId: optional(id),
  })
  .refine((f) => !f.from || !f.to || f.from.getTime() < f.to.getTime(), {
    message: 'must be after from',
    path: ['to'],
  });

export const leaveStatusSchema = optional(z.enum(LEAVE_STATUSES));

/** The bearer capability in an upload URL (32 random bytes, base64url). */
export const uploadTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not an upload token');

export const approvedLeavesRequestSchema = z.object({
  at: date,
  userIds: z.array(id).max(MAX_APPROVED_LEAVES_USERS, `at most ${MAX_APPROVED_LEAVES_USERS} user ids`),
  allStudents: z.boolean(),
});

/** WithdrawPendingForCheckOut (gRPC, the check-out saga). */
export const withdrawForCheckoutSchema = z.object({ userId: id, checkoutId: id });

/** ReinstateForCheckOut (gRPC, the check-out saga). */
export const reinstateForCheckoutSchema = z.object({ checkoutId: id });
