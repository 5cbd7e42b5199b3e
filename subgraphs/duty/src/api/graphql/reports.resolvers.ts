import DataLoader from 'dataloader';
import { pageRequest, parseInput, type Resolvers } from '@campus/platform';
import type { DutyReport, DutySchedule, ReportPhoto } from '../../domain/records';
import { latestReport, missingCategories } from '../../domain/reports';
import {
  photoUploadRequestSchema,
  rejectReportSchema,
  removePhotoSchema,
  reportFilterSchema,
  roomIdSchema,
  scheduleIdSchema,
} from '../../schemas/reports';
import type { DutyReports } from '../../services/reports.service';
import type { DutyContext } from './context';

/** Transport only: parse arguments with schemas/, call the reports service, shape the answer. */

/** Per-request loaders of the reports topic (part of DutyLoaders, api/graphql/loaders.ts). */
export interface ReportLoaders {
  /** A duty's reports, oldest first, with their photos. */
  reportsOfSchedule: DataLoader<string, DutyReport[]>;
}

export function createReportLoaders(reports: DutyReports): ReportLoaders {
  return {
    reportsOfSchedule: new DataLoader(async (scheduleIds) => {
      const found = await reports.reportsOfSchedules(scheduleIds);
      return scheduleIds.map((id) => found.filter((r) => r.scheduleId === id));
    }),
  };
}

const userRef = (id: string | null) => (id ? { __typename: 'User' as const, id } : null);
/** Domain categories and statuses are lower-case, the GraphQL enums upper-case. */
const upper = (value: string) => value.toUpperCase();

/** A command's result: what the request cached about the duty is stale now. */
function remember<T>(ctx: DutyContext, scheduleId: string, result: T): T {
  ctx.loaders.schedule.clear(scheduleId);
  ctx.loaders.reportsOfSchedule.clear(scheduleId);
  return result;
}

type InputArgs = { input: Record<string, unknown> };
type ScheduleArgs = { scheduleId: unknown };

/** Resolvers of the duty reports topic (see schema.graphql). */
export const reportResolvers: Resolvers<DutyContext> = {
  Query: {
    dutyReportsToReview: async (
      _: unknown,
      args: { filter?: Record<string, unknown> | null; page?: number | null; size?: number | null },
      ctx: DutyContext,
    ) => {
      const filter = parseInput(reportFilterSchema, args.filter ?? {}, 'Invalid filter');
      return ctx.services.reports.toReview(ctx.auth, filter, pageRequest(args.page, args.size));
    },
  },

  Mutation: {
    requestDutyPhotoUpload: async (_: unknown, args: InputArgs, ctx: DutyContext) => {
      const ticket = await ctx.services.reports.requestPhotoUpload(
        ctx.auth,
        parseInput(photoUploadRequestSchema, args.input),
      );
      return { ...ticket, category: upper(ticket.category) };
    },
    removeDutyPhoto: async (_: unknown, args: InputArgs, ctx: DutyContext) => {
      const input = parseInput(removePhotoSchema, args.input);
      return remember(ctx, input.scheduleId, await ctx.services.reports.removePhoto(ctx.auth, input));
    },
    submitDutyReport: async (_: unknown, args: ScheduleArgs, ctx: DutyContext) => {
      const scheduleId = parseInput(scheduleIdSchema, args.scheduleId);
      return remember(ctx, scheduleId, await ctx.services.reports.submit(ctx.auth, scheduleId));
    },
    acceptDutyReport: async (_: unknown, args: ScheduleArgs, ctx: DutyContext) => {
      const scheduleId = parseInput(scheduleIdSchema, args.scheduleId);
      return remember(ctx, scheduleId, await ctx.services.reports.accept(ctx.auth, scheduleId));
    },
    rejectDutyReport: async (_: unknown, args: InputArgs, ctx: DutyContext) => {
      const input = parseInput(rejectReportSchema, args.input);
      return remember(ctx, input.scheduleId, await ctx.services.reports.reject(ctx.auth, input));
    },
    createRoomCalendarFeed: async (_: unknown, args: { roomId: unknown }, ctx: DutyContext) =>
      ctx.services.calendarFeeds.create(ctx.auth, parseInput(roomIdSchema, args.roomId)),
  },

  DutySchedule: {
    // A duty may be reached without its room being readable (the other room's duty in a swap).
    report: async (schedule: DutySchedule, _: unknown, ctx: DutyContext) =>
      ctx.services.schedules.mayRead(ctx.auth, schedule)
        ? latestReport(await ctx.loaders.reportsOfSchedule.load(schedule.id))
        : null,
    reports: (schedule: DutySchedule, _: unknown, ctx: DutyContext) =>
      ctx.services.schedules.mayRead(ctx.auth, schedule) ? ctx.loaders.reportsOfSchedule.load(schedule.id) : [],
  },

  DutyReport: {
    schedule: async (report: DutyReport, _: unknown, ctx: DutyContext) => {
      const schedule = await ctx.loaders.schedule.load(report.scheduleId);
      // Duties are never deleted while a report points at them.
      if (!schedule) throw new Error(`report ${report.id} points at missing schedule ${report.scheduleId}`);
      return schedule;
    },
    status: (report: DutyReport) => upper(report.status),
    missingCategories: (report: DutyReport) => missingCategories(report.photos).map(upper),
    submittedBy: (report: DutyReport) => userRef(report.submittedBy),
    reviewedBy: (report: DutyReport) => userRef(report.reviewedBy),
  },

  DutyPhoto: {
    category: (photo: ReportPhoto) => upper(photo.category),
    uploadedBy: (photo: ReportPhoto) => userRef(photo.uploadedBy),
    url: (photo: ReportPhoto, _: unknown, ctx: DutyContext) => ctx.services.reports.photoUrl(photo).url,
  },
};
