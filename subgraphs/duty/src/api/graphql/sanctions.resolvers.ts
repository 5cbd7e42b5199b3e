// GraphQL transport of the sanctions topic: parse arguments (schemas/), call the sanctions
// service, shape the answer. DB statuses are lower-case, GraphQL enums UPPER-case.
import DataLoader from 'dataloader';
import { pageRequest, parseInput, type Page, type Resolvers } from '@campus/platform';
import type { DutySchedule, Sanction } from '../../domain/records';
import {
  resolveSanctionSchema,
  sanctionFilterSchema,
  sanctionIdSchema,
  sanctionStatusSchema,
} from '../../schemas/sanctions';
import type { DutySanctions } from '../../services/sanctions.service';
import type { DutyContext } from './context';

/** Per-request loaders of the sanctions topic (part of DutyLoaders, api/graphql/loaders.ts). */
export interface SanctionLoaders {
  /** A duty's sanctions, newest first. */
  sanctionsOfSchedule: DataLoader<string, Sanction[]>;
  /** A user's sanctions (every status; the field filters), newest first. */
  sanctionsOfUser: DataLoader<string, Sanction[]>;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(keyOf(item), [...(groups.get(keyOf(item)) ?? []), item]);
  return groups;
}

export function createSanctionLoaders(sanctions: DutySanctions): SanctionLoaders {
  return {
    sanctionsOfSchedule: new DataLoader(async (scheduleIds) => {
      const bySchedule = groupBy(await sanctions.sanctionsOfSchedules(scheduleIds), (s) => s.scheduleId);
      return scheduleIds.map((id) => bySchedule.get(id) ?? []);
    }),
    sanctionsOfUser: new DataLoader(async (userIds) => {
      const byUser = groupBy(await sanctions.sanctionsOfUsers(userIds), (s) => s.userId);
      return userIds.map((id) => byUser.get(id) ?? []);
    }),
  };
}

const userRef = (id: string) => ({ __typename: 'User' as const, id });
/** Entity ids are UUIDs; anything else (a foreign reference) has no sanctions and must not reach a uuid column. */
const isId = (id: string) => sanctionIdSchema.safeParse(id).success;

type PageArgs = { filter?: Record<string, unknown> | null; page?: number | null; size?: number | null };

export const sanctionResolvers: Resolvers<DutyContext> = {
  Query: {
    dutySanctions: (_: unknown, args: PageArgs, ctx: DutyContext): Promise<Page<Sanction>> => {
      const filter = parseInput(sanctionFilterSchema, args.filter ?? {}, 'Invalid filter');
      return ctx.services.sanctions.list(ctx.auth, filter, pageRequest(args.page, args.size));
    },
  },

  Mutation: {
    resolveSanction: async (_: unknown, args: { input: Record<string, unknown> }, ctx: DutyContext) => {
      const sanction = await ctx.services.sanctions.resolve(ctx.auth, parseInput(resolveSanctionSchema, args.input));
      ctx.loaders.sanctionsOfSchedule.clear(sanction.scheduleId);
      ctx.loaders.sanctionsOfUser.clear(sanction.userId);
      return sanction;
    },
  },

  DutySanction: {
    user: (s: Sanction) => userRef(s.userId),
    schedule: async (s: Sanction, _: unknown, ctx: DutyContext) => {
      const schedule = await ctx.loaders.schedule.load(s.scheduleId);
      // A sanction's schedule is never deleted (foreign key).
      if (!schedule) throw new Error(`sanction ${s.id} points at missing schedule ${s.scheduleId}`);
      return schedule;
    },
    building: (s: Sanction) => s.room.building,
    entrance: (s: Sanction) => s.room.entrance,
    roomNumber: (s: Sanction) => s.room.number,
    status: (s: Sanction) => s.status.toUpperCase(),
    resolvedBy: (s: Sanction) => (s.resolvedBy ? userRef(s.resolvedBy) : null),
  },

  DutySchedule: {
    sanctions: (schedule: DutySchedule, _: unknown, ctx: DutyContext) =>
      ctx.services.sanctions.maySeeSanctionsOf(ctx.auth, schedule)
        ? ctx.loaders.sanctionsOfSchedule.load(schedule.id)
        : [],
  },

  User: {
    sanctions: async (
      user: { id: string },
      args: { status?: string | null; page?: number | null; size?: number | null },
      ctx: DutyContext,
    ) => {
      const status = parseInput(sanctionStatusSchema, args.status, 'Invalid status');
      const page = pageRequest(args.page, args.size);
      ctx.services.sanctions.assertMayListOfUser(ctx.auth, user.id);
      if (!isId(user.id)) return [];
      // One statement for every user of the request (the loader); a person's sanctions are few (one
      // per overdue duty of their room), so the page is cut here, after visibility and status.
      const all = await ctx.loaders.sanctionsOfUser.load(user.id);
      const visible = ctx.services.sanctions.visibleOfUser(ctx.auth, user.id, all);
      const matching = status ? visible.filter((s) => s.status === status) : visible;
      return matching.slice(page.skip, page.skip + page.take);
    },
  },
};
