// Input DTOs of the patrol service and their validation: the only place client input is parsed.
// GraphQL and gRPC handlers parse with these (platform parseInput) before calling the services;
// what they produce is the services' input types (services/patrol.service.ts).
import { z } from 'zod';
import { buildingCodeSchema, isCalendarDate } from '@campus/platform';

const id = z.guid('must be a UUID');
const building = buildingCodeSchema;
const entrance = z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(99, 'must be ≤ 99');
const date = z.string().refine(isCalendarDate, 'must be a date written YYYY-MM-DD');

export const startPatrolSchema = z.object({ building, entrance, date });

export const markEntrySchema = z.object({
  entryId: id,
  present: z.boolean(),
  reason: z
    .string()
    .trim()
    .max(500, 'at most 500 characters')
    .nullish()
    .transform((v) => v || null),
});

export const addEntrySchema = z.object({ patrolId: id, studentId: id });

export const patrolIdSchema = z.object({ id });

export const listPatrolsSchema = z.object({
  filter: z
    .object({
      date: date.nullish(),
      building: building.nullish(),
      entrance: entrance.nullish(),
      status: z.enum(['in_progress', 'completed']).nullish(),
    })
    .nullish()
    .transform((f) => ({
      ...(f?.date ? { date: f.date } : {}),
      ...(f?.building ? { building: f.building } : {}),
      ...(typeof f?.entrance === 'number' ? { entrance: f.entrance } : {}),
      ...(f?.status ? { status: f.status } : {}),
    })),
  page: z.number().int().nullish(),
  size: z.number().int().nullish(),
});
