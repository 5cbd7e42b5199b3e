import { DateScalar, DateTimeScalar, mergeResolvers, type Resolvers } from '@campus/platform';
import type { DutyContext } from './context';
import { reportResolvers } from './reports.resolvers';
import { sanctionResolvers } from './sanctions.resolvers';
import { scheduleResolvers } from './schedules.resolvers';
import { swapResolvers } from './swaps.resolvers';

/**
 * The duty resolver map, one topic per file (schedules and rosters, reports, sanctions, swaps).
 * Transport only: parse arguments with schemas/, call a service, shape the result.
 */
export const resolvers: Resolvers<DutyContext> = mergeResolvers<DutyContext>(
  { DateTime: DateTimeScalar, Date: DateScalar },
  scheduleResolvers,
  reportResolvers,
  sanctionResolvers,
  swapResolvers,
);
