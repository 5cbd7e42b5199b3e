// gRPC requests (proto3 messages as @grpc/proto-loader decodes them: optional fields absent when
// unset, repeated fields as arrays).
import { buildingCodeSchema, isCalendarDate } from '@campus/platform';
import { z } from 'zod';
import { MAX_DIRECTORY_USERS } from '../domain/limits';
import { calendarDay } from '../domain/time';
import { entranceNumberSchema } from './common';
import { roleSchema } from './users';

export const getUsersRequestSchema = z.object({
  ids: z.array(z.string()).max(MAX_DIRECTORY_USERS, `at most ${MAX_DIRECTORY_USERS} ids per call`).default([]),
  building: z.string().optional(),
  entrance: z.number().int().optional(),
  floor: z.number().int().optional(),
  room: z.string().optional(),
  role: roleSchema.optional(),
  minorsOnly: z.boolean().default(false),
  includeInactive: z.boolean().default(false),
  summaryOnly: z.boolean().default(false),
  checkOutDateTo: z.string().refine(isCalendarDate, 'must be a date as YYYY-MM-DD').transform(calendarDay).optional(),
});

export const checkUserRoleRequestSchema = z.object({
  userId: z.string().min(1, 'is required'),
  role: z.string().min(1, 'is required'),
  building: z.string().optional(),
  entrance: z.number().int().optional(),
});

/** CheckPlace: a building as the layout's inputs take it, and optionally one of its entrances. */
export const checkPlaceRequestSchema = z.object({
  building: buildingCodeSchema,
  entrance: entranceNumberSchema.optional(),
});
