// GraphQL transport of the catalogue, the board, the history and the Booking/Coworking fields:
// parse arguments (schemas/), call a service, shape the answer. DB statuses are lower-case,
// GraphQL enums UPPER-case.
import { parseInput, requireAuth, type Resolvers } from '@campus/platform';
import type { Booking, Coworking } from '../../domain/records';
import {
  boardSchema,
  bookingFilterSchema,
  busySlotsSchema,
  coworkingsSchema,
  createCoworkingSchema,
  idArgsSchema,
  updateCoworkingSchema,
  userBookingsSchema,
} from '../../schemas/catalogue';
import type { BusySlot, ListedCoworking } from '../../services/catalogue.service';
import type { CoworkingContext } from './context';
import { busyKeysIn } from './loaders';

const userRef = (id: string) => ({ __typename: 'User' as const, id });
const optionalUserRef = (id: string | null) => (id ? userRef(id) : null);
/** Entity ids are UUIDs; anything else (a foreign reference) is nobody here and must not reach a uuid column. */
const isId = (id: unknown): id is string => idArgsSchema.safeParse({ id }).success;

export const catalogueResolvers: Resolvers<CoworkingContext> = {
  Query: {
    coworkings: async (_: unknown, args: Record<string, unknown>, ctx: CoworkingContext) => {
      const { building, availableOnly, from, to } = parseInput(coworkingsSchema, args);
      const window = from && to ? { from, to } : undefined;
      const listed = await ctx.services.catalogue.list(ctx.auth, { building, availableOnly, window });
      // `busySlots` of the same window (a screen asks both) is already read: no second query.
      if (window) {
        const keyOf = busyKeysIn(window);
        for (const c of listed) ctx.loaders.busySlots.prime(keyOf(c.id), c.slotsInWindow ?? []);
      }
      return listed;
    },
    coworking: (_: unknown, args: Record<string, unknown>, ctx: CoworkingContext) =>
      ctx.services.catalogue.get(ctx.auth, parseInput(idArgsSchema, args).id),
    booking: (_: unknown, args: Record<string, unknown>, ctx: CoworkingContext) =>
      ctx.services.board.booking(ctx.auth, parseInput(idArgsSchema, args).id),
    coworkingBoard: (_: unknown, args: Record<string, unknown>, ctx: CoworkingContext) =>
      ctx.services.board.board(ctx.auth, parseInput(boardSchema, args).building),
    coworkingBookings: (_: unknown, args: Record<string, unknown>, ctx: CoworkingContext) => {
      const { filter, page, size } = parseInput(bookingFilterSchema, args);
      return ctx.services.board.history(ctx.auth, filter, { page, size });
    },
  },

  Mutation: {
    createCoworking: (_: unknown, args: Record<string, unknown>, ctx: CoworkingContext) =>
      ctx.services.catalogue.create(ctx.auth, parseInput(createCoworkingSchema, args).input),
    updateCoworking: async (_: unknown, args: Record<string, unknown>, ctx: CoworkingContext) => {
      const coworking = await ctx.services.catalogue.update(ctx.auth, parseInput(updateCoworkingSchema, args).input);
      ctx.loaders.coworking.clear(coworking.id).prime(coworking.id, coworking);
      return coworking;
    },
  },

  Coworking: {
    __resolveReference: (ref: { id: unknown }, ctx: CoworkingContext) => {
      requireAuth(ctx.auth);
      return isId(ref.id) ? ctx.loaders.coworking.load(ref.id) : null;
    },
    freeInWindow: (c: Coworking | ListedCoworking) => ('freeInWindow' in c ? c.freeInWindow : null),
    busySlots: (c: Coworking, args: Record<string, unknown>, ctx: CoworkingContext) => {
      const asked = parseInput(busySlotsSchema, args);
      return ctx.loaders.busySlots.load(busyKeysIn(ctx.services.catalogue.busyWindow(asked))(c.id));
    },
  },

  BusySlot: {
    status: (s: BusySlot) => s.status.toUpperCase(),
  },

  Booking: {
    __resolveReference: async (ref: { id: unknown }, ctx: CoworkingContext) => {
      requireAuth(ctx.auth);
      const booking = isId(ref.id) ? await ctx.loaders.booking.load(ref.id) : null;
      if (booking) ctx.services.board.assertMaySee(ctx.auth, booking);
      return booking;
    },
    coworking: async (b: Booking, _: unknown, ctx: CoworkingContext) => {
      const coworking = await ctx.loaders.coworking.load(b.coworkingId);
      // Coworkings are never deleted (foreign key).
      if (!coworking) throw new Error(`booking ${b.id} points at missing coworking ${b.coworkingId}`);
      return coworking;
    },
    student: (b: Booking) => userRef(b.studentId),
    status: (b: Booking) => b.status.toUpperCase(),
    decidedBy: (b: Booking) => optionalUserRef(b.decidedBy),
    keyTakenBy: (b: Booking) => optionalUserRef(b.keyTakenBy),
    keyReturnRequestedBy: (b: Booking) => optionalUserRef(b.keyReturnRequestedBy),
    completedBy: (b: Booking) => optionalUserRef(b.completedBy),
    cancelledBy: (b: Booking) => optionalUserRef(b.cancelledBy),
  },

  User: {
    coworkingBookings: async (user: { id: string }, args: Record<string, unknown>, ctx: CoworkingContext) => {
      const { status, page, size } = parseInput(userBookingsSchema, args);
      ctx.services.board.assertMayListOfUser(ctx.auth, user.id);
      if (!isId(user.id)) {
        return { items: [], total: 0, page: page ?? 1, size: size ?? 20, pages: 0 };
      }
      return ctx.loaders.userBookings.load({ userId: user.id, status, page, size });
    },
  },
};
