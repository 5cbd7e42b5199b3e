import DataLoader from 'dataloader';
import { pageRequest, parseInput, type Resolvers } from '@campus/platform';
import type { DutySchedule } from '../../domain/records';
import { swapDecisionSchema, swapFilterSchema, swapRequestSchema } from '../../schemas/swaps';
import type { StoredSwap } from '../../services/ports';
import type { DutySwaps } from '../../services/swaps.service';
import type { DutyContext } from './context';

/** Transport only: parse arguments with schemas/, call the swaps service, shape the answer. */

/** Per-request loaders of the swaps topic (part of DutyLoaders, api/graphql/loaders.ts). */
export interface SwapLoaders {
  /** Swaps involving a schedule (as asking or asked duty), newest first. */
  swapsOfSchedule: DataLoader<string, StoredSwap[]>;
}

export function createSwapLoaders(swaps: DutySwaps): SwapLoaders {
  return {
    swapsOfSchedule: new DataLoader(async (scheduleIds) => {
      const found = await swaps.swapsOfSchedules(scheduleIds);
      // Newest first comes from the store; filtering keeps that order within each schedule.
      return scheduleIds.map((id) => found.filter((s) => s.fromScheduleId === id || s.toScheduleId === id));
    }),
  };
}

const userRef = (id: string | null) => (id ? { __typename: 'User' as const, id } : null);

/** A command's result: what the request cached about its duties is stale now (an approval re-dates them). */
function remember(ctx: DutyContext, swap: StoredSwap): StoredSwap {
  for (const id of [swap.fromScheduleId, swap.toScheduleId]) {
    ctx.loaders.schedule.clear(id);
    ctx.loaders.swapsOfSchedule.clear(id);
  }
  return swap;
}

type DecisionArgs = { input: Record<string, unknown> };

const decision =
  (step: 'accept' | 'decline' | 'approve' | 'reject' | 'cancel') =>
  async (_: unknown, args: DecisionArgs, ctx: DutyContext) =>
    remember(ctx, await ctx.services.swaps[step](ctx.auth, parseInput(swapDecisionSchema, args.input)));

async function scheduleOf(ctx: DutyContext, id: string): Promise<DutySchedule> {
  const schedule = await ctx.loaders.schedule.load(id);
  // Schedules are never deleted while a swap points at them.
  if (!schedule) throw new Error(`swap points at missing schedule ${id}`);
  return schedule;
}

/** Resolvers of the duty swaps topic (see schema.graphql). */
export const swapResolvers: Resolvers<DutyContext> = {
  Query: {
    dutySwaps: async (
      _: unknown,
      args: { filter?: Record<string, unknown> | null; page?: number | null; size?: number | null },
      ctx: DutyContext,
    ) => {
      const filter = parseInput(swapFilterSchema, args.filter ?? {}, 'Invalid filter');
      return ctx.services.swaps.list(ctx.auth, filter, pageRequest(args.page, args.size));
    },
  },

  Mutation: {
    requestDutySwap: async (_: unknown, args: DecisionArgs, ctx: DutyContext) =>
      remember(ctx, await ctx.services.swaps.request(ctx.auth, parseInput(swapRequestSchema, args.input))),
    acceptDutySwap: decision('accept'),
    declineDutySwap: decision('decline'),
    approveDutySwap: decision('approve'),
    rejectDutySwap: decision('reject'),
    cancelDutySwap: decision('cancel'),
  },

  DutySchedule: {
    // A duty may be reached without its room being readable (the other room's duty in a swap).
    swaps: (schedule: DutySchedule, _: unknown, ctx: DutyContext) =>
      ctx.services.schedules.mayRead(ctx.auth, schedule) ? ctx.loaders.swapsOfSchedule.load(schedule.id) : [],
  },

  DutySwap: {
    status: (swap: StoredSwap) => swap.status.toUpperCase(),
    from: (swap: StoredSwap, _: unknown, ctx: DutyContext) => scheduleOf(ctx, swap.fromScheduleId),
    to: (swap: StoredSwap, _: unknown, ctx: DutyContext) => scheduleOf(ctx, swap.toScheduleId),
    requestedBy: (swap: StoredSwap) => userRef(swap.requestedBy),
    respondedBy: (swap: StoredSwap) => userRef(swap.respondedBy),
    decidedBy: (swap: StoredSwap) => userRef(swap.decidedBy),
  },
};
