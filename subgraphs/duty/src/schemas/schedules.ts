// Input of the rosters and schedules topic (GraphQL and gRPC) and its validation: the only place
// that input is parsed. A month or date that is not one is the catalog's INVALID_MONTH / INVALID_DATE
// (clients switch on them); everything else malformed is the shared VALIDATION_ERROR.
import { z } from 'zod';
import { buildingCodeSchema, isCalendarDate, parseInput } from '@campus/platform';
import { addDays, isMonth } from '../domain/duty-times';
import { DutyErrors } from '../domain/errors';
import type { LocalDate, Month } from '../domain/records';
import { MAX_TURNS_PER_ROOM, type MaxTurnsPerRoom } from '../domain/rotation';

/** The longest date range one User.dutySchedules or ListRoomDuties call reads. */
export const MAX_RANGE_DAYS = 366;

const id = z.guid('must be a UUID');
const building = buildingCodeSchema;
const entrance = z.number().int('must be a whole number').min(1, 'must be ≥ 1').max(99, 'must be ≤ 99');
/** Checked against the month/date rules below, after the shape; long strings are refused here. */
const text = z.string().max(32, 'at most 32 characters');

function month(value: string): Month {
  if (!isMonth(value)) throw DutyErrors.error('INVALID_MONTH', 'The month must be written YYYY-MM', { month: value });
  return value;
}

function date(value: string, field: string): LocalDate {
  if (!isCalendarDate(value))
    throw DutyErrors.error('INVALID_DATE', 'The date must be a real calendar date YYYY-MM-DD', { [field]: value });
  return value;
}

function range(from: LocalDate | undefined, to: LocalDate | undefined): { from?: LocalDate; to?: LocalDate } {
  if (from && to) {
    if (to < from) throw DutyErrors.error('INVALID_DATE', 'The range ends before it starts', { from, to });
    if (addDays(from, MAX_RANGE_DAYS) <= to)
      throw DutyErrors.error('INVALID_DATE', `A range spans at most ${MAX_RANGE_DAYS} days`, { from, to });
  }
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

export interface GenerateRosterInput {
  building: string;
  entrance: number;
  month: Month;
  maxTurnsPerRoom: MaxTurnsPerRoom;
}

const generateRosterSchema = z.object({
  input: z.object({
    building,
    entrance,
    month: text,
    maxTurnsPerRoom: z
      .number()
      .int()
      .nullish()
      .refine((n) => n == null || (MAX_TURNS_PER_ROOM as readonly number[]).includes(n), 'must be 1 or 2'),
  }),
});

export function parseGenerateRoster(args: unknown): GenerateRosterInput {
  const { input } = parseInput(generateRosterSchema, args);
  return {
    building: input.building,
    entrance: input.entrance,
    month: month(input.month),
    maxTurnsPerRoom: (input.maxTurnsPerRoom ?? 1) as MaxTurnsPerRoom,
  };
}

export interface MoveDutyInput {
  scheduleId: string;
  date: LocalDate;
  /** The version the caller read (null: whatever is current). */
  version: number | null;
}

const moveDutySchema = z.object({
  input: z.object({ scheduleId: id, date: text, version: z.number().int().min(1).nullish() }),
});

export function parseMoveDuty(args: unknown): MoveDutyInput {
  const { input } = parseInput(moveDutySchema, args);
  return { scheduleId: input.scheduleId, date: date(input.date, 'date'), version: input.version ?? null };
}

export interface EntranceMonthInput {
  building: string;
  entrance: number;
  month: Month;
}

const entranceMonthSchema = z.object({ building, entrance, month: text });

/** dutyRoster and dutyCalendar. */
export function parseEntranceMonth(args: unknown): EntranceMonthInput {
  const input = parseInput(entranceMonthSchema, args);
  return { building: input.building, entrance: input.entrance, month: month(input.month) };
}

const scheduleIdSchema = z.object({ id });

/** dutySchedule(id) and DutySchedule references. */
export const parseScheduleId = (args: unknown): string => parseInput(scheduleIdSchema, args).id;

/** Whether a federated reference (a schedule, room or user) carries a usable id. */
export const isEntityId = (value: unknown): value is string => id.safeParse(value).success;

const roomDutiesSchema = z.object({ month: text.nullish() });

/** Room.duties(month): null month means the current one. */
export function parseRoomDuties(args: unknown): { month: Month | null } {
  const input = parseInput(roomDutiesSchema, args);
  return { month: input.month ? month(input.month) : null };
}

const dateRangeSchema = z.object({ from: text.nullish(), to: text.nullish() });

/** User.dutySchedules(from, to): absent bounds take the service's defaults. */
export function parseDateRange(args: unknown): { from?: LocalDate; to?: LocalDate } {
  const input = parseInput(dateRangeSchema, args);
  return range(input.from ? date(input.from, 'from') : undefined, input.to ? date(input.to, 'to') : undefined);
}

const roomDutiesRequestSchema = z.object({ roomId: id, from: text, to: text });

/** gRPC ListRoomDuties: both bounds required. */
export function parseRoomDutiesRequest(request: unknown): { roomId: string; from: LocalDate; to: LocalDate } {
  const input = parseInput(roomDutiesRequestSchema, request, 'Invalid ListRoomDuties request');
  const bounds = range(date(input.from, 'from'), date(input.to, 'to'));
  return { roomId: input.roomId, from: bounds.from!, to: bounds.to! };
}
