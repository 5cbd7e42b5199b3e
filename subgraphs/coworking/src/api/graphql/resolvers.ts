import { DateTimeScalar, mergeResolvers, type Resolvers } from '@campus/platform';
import { bookingResolvers } from './bookings.resolvers';
import { catalogueResolvers } from './catalogue.resolvers';
import type { CoworkingContext } from './context';

/**
 * The coworking resolver map, one topic per file (catalogue, board and history; the booking
 * lifecycle). Transport only: parse arguments with schemas/, call a service, shape the result.
 */
export const resolvers: Resolvers<CoworkingContext> = mergeResolvers<CoworkingContext>(
  { DateTime: DateTimeScalar },
  catalogueResolvers,
  bookingResolvers,
);
