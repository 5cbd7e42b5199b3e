// GraphQL transport of the rosters and schedules topic: parse arguments (schemas/), call the
// services, shape the answer. DB statuses are lower-case, GraphQL enums UPPER-case.
import type { Resolvers } from '@campus/platform';
import type { DutySchedule, Roster } from '../../domain/records';
import {
  isEntityId,
  parseDateRange,
  parseEntranceMonth,
  parseGenerateRoster,
  parseMoveDuty,
  parseRoomDuties,
  parseScheduleId,
} from '../../schemas/schedules';
import type { CalendarRow } from '../../services/rosters.service';
import type { RoomRange } from '../../services/schedules.service';
import type { DutyContext } from './context';

/** A federated entity owned by another subgraph (identity), referenced by id. */
const ref = (typename: 'User' | 'Room', id: string) => ({ __typename: typename, id });

export const scheduleResolvers: Resolvers<DutyContext> = {
  Query: {
    dutySchedule: (_: unknown, args: unknown, ctx: DutyContext) =>
      ctx.services.schedules.schedule(ctx.auth, parseScheduleId(args)),
    dutyRoster: (_: unknown, args: unknown, ctx: DutyContext) =>
      ctx.services.rosters.roster(ctx.auth, parseEntranceMonth(args)),
    dutyCalendar: (_: unknown, args: unknown, ctx: DutyContext) =>
      ctx.services.rosters.calendar(ctx.auth, parseEntranceMonth(args)),
  },

  Mutation: {
    generateDutyRoster: (_: unknown, args: unknown, ctx: DutyContext) =>
      ctx.services.rosters.generate(ctx.auth, parseGenerateRoster(args)),
    moveDuty: (_: unknown, args: unknown, ctx: DutyContext) =>
      ctx.services.schedules.moveDuty(ctx.auth, parseMoveDuty(args)),
  },

  DutySchedule: {
    __resolveReference: async (reference: { id: string }, ctx: DutyContext) => {
      if (!isEntityId(reference.id)) return null;
      const schedule = await ctx.loaders.schedule.load(reference.id);
      if (schedule) ctx.services.schedules.assertCanRead(ctx.auth, schedule);
      return schedule;
    },
    room: (s: DutySchedule) => ref('Room', s.room.roomId),
    building: (s: DutySchedule) => s.room.building,
    entrance: (s: DutySchedule) => s.room.entrance,
    floor: (s: DutySchedule) => s.room.floor,
    roomNumber: (s: DutySchedule) => s.room.number,
    date: (s: DutySchedule) => s.dutyDate,
    status: (s: DutySchedule) => s.status.toUpperCase(),
  },

  DutyRoster: {
    generatedBy: (roster: Roster) => ref('User', roster.generatedBy),
    schedules: (roster: Roster, _: unknown, ctx: DutyContext) => ctx.loaders.schedulesOfRoster.load(roster.id),
  },

  DutyCalendarRow: {
    room: (row: CalendarRow) => ref('Room', row.room.roomId),
    floor: (row: CalendarRow) => row.room.floor,
    roomNumber: (row: CalendarRow) => row.room.number,
  },

  Room: {
    duties: (room: { id: string }, args: unknown, ctx: DutyContext) => {
      const { month } = parseRoomDuties(args);
      // A reference that is no room id has no duties (and must not reach a uuid column).
      const load = (key: RoomRange) =>
        isEntityId(key.roomId) ? ctx.loaders.roomDuties.load(key) : Promise.resolve([]);
      return ctx.services.schedules.dutiesOfRoom(ctx.auth, room.id, month, load);
    },
  },

  User: {
    dutySchedules: (user: { id: string }, args: unknown, ctx: DutyContext) =>
      ctx.services.schedules.dutiesOfUser(
        ctx.auth,
        user.id,
        parseDateRange(args),
        (id) => (isEntityId(id) ? ctx.loaders.roomOfUser.load(id) : Promise.resolve(null)),
        (key) => ctx.loaders.roomDuties.load(key),
      ),
  },
};
