import type { Clock } from '@campus/platform';
import type { DutyCalendarFeeds } from './calendar-feeds.service';
import type { DutyCheckoutParticipant } from './checkout-participant.service';
import type { DutyReports } from './reports.service';
import type { DutyRosters } from './rosters.service';
import type { DutySanctions } from './sanctions.service';
import type { DutySchedules } from './schedules.service';
import type { DutySwaps } from './swaps.service';

/**
 * The duty service's use cases, built once by the composition root (app.ts) and handed to every
 * transport: GraphQL (as `ctx.services`) and gRPC. One member per topic service.
 */
export interface DutyServices {
  /** Generating and reading rosters, the staff calendar. */
  rosters: DutyRosters;
  /** Single duties: reading, moving, a room's and a user's duties. */
  schedules: DutySchedules;
  /** Sanctions: resolving them, staff's list, a user's and a duty's (D2). */
  sanctions: DutySanctions;
  /** Swaps of duty dates between rooms: request, accept/decline, approve/reject, cancel, lists (D3). */
  swaps: DutySwaps;
  /** Photo-checklist reports: photo uploads, submitting, review, photo downloads (D4). */
  reports: DutyReports;
  /** A room's secret iCal feed (D4). */
  calendarFeeds: DutyCalendarFeeds;
  /** The check-out saga's duty step: closing a leaving student's sanctions, and undoing that (gRPC only). */
  checkout: DutyCheckoutParticipant;
  /** "Now" for what transports compute. */
  clock: Clock;
}
