import { parseInput, type Resolvers } from '@campus/platform';
import type { Booking } from '../../domain/records';
import { bookingStepSchema, requestBookingSchema } from '../../schemas/bookings';
import type { CoworkingBookings } from '../../services/bookings.service';
import type { CoworkingContext } from './context';

/**
 * Transport only: parse the input with schemas/, call the lifecycle service, answer the booking
 * record (domain/records Booking, lower-case status) that the Booking field resolvers
 * (catalogue.resolvers.ts) shape: status in UPPER case, users and the coworking as references.
 */

type InputArgs = { input: Record<string, unknown> };
type Step = 'approve' | 'reject' | 'handOverKey' | 'requestKeyReturn' | 'returnKey' | 'complete' | 'cancel';

/** A command's answer replaces what this request cached of the booking (a later field reads it fresh). */
function remember(ctx: CoworkingContext, booking: Booking): Booking {
  ctx.loaders.booking.clear(booking.id).prime(booking.id, booking);
  return booking;
}

const step =
  (name: Step & keyof CoworkingBookings) =>
  async (_: unknown, args: InputArgs, ctx: CoworkingContext): Promise<Booking> =>
    remember(ctx, await ctx.services.bookings[name](ctx.auth, parseInput(bookingStepSchema, args.input)));

/** Resolvers of the coworking bookings topic (see schema.graphql): the lifecycle's mutations. */
export const bookingResolvers: Resolvers<CoworkingContext> = {
  Mutation: {
    requestBooking: async (_: unknown, args: InputArgs, ctx: CoworkingContext): Promise<Booking> =>
      remember(ctx, await ctx.services.bookings.request(ctx.auth, parseInput(requestBookingSchema, args.input))),
    approveBooking: step('approve'),
    rejectBooking: step('reject'),
    handOverKey: step('handOverKey'),
    requestKeyReturn: step('requestKeyReturn'),
    returnKey: step('returnKey'),
    completeBooking: step('complete'),
    cancelBooking: step('cancel'),
  },
};
