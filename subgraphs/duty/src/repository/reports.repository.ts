// Duty reports and their photos (tables duty_reports, report_photos), and the room calendar feeds
// (room_calendar_feeds). Implements ReportStore and CalendarFeedStore: every report command is one
// transaction that locks the duty's row first, so the rules checked inside see what they change.
import { enqueueEvents, pageOf, type Page, type PageRequest } from '@campus/platform';
import { isChecklistCategory } from '../domain/reports';
import type { DutyReport, DutySchedule, LocalDate, ReportPhoto, RoomRef } from '../domain/records';
import type { CalendarFeedStore, PhotoAddition, ReportChange, ReportReviewQuery, ReportStore } from '../services/ports';
import {
  Prisma,
  type DutyDatabase,
  type DutyReport as DutyReportRow,
  type ReportPhoto as ReportPhotoRow,
} from './database';
import { toDateColumn, toSchedule } from './schedule.mapper';

type Tx = Prisma.TransactionClient;
type ReportRow = DutyReportRow & { photos: ReportPhotoRow[] };

function toPhoto(row: ReportPhotoRow): ReportPhoto {
  if (!isChecklistCategory(row.category)) throw new Error(`report_photos holds an unknown category "${row.category}"`);
  return {
    id: row.id,
    reportId: row.reportId,
    category: row.category,
    contentType: row.contentType,
    sizeBytes: row.sizeBytes,
    storageKey: row.storageKey,
    uploadedBy: row.uploadedBy,
    uploadedAt: row.uploadedAt,
  };
}

function toReport(row: ReportRow): DutyReport {
  return {
    id: row.id,
    scheduleId: row.scheduleId,
    status: row.status,
    photos: row.photos.map(toPhoto),
    submittedBy: row.submittedBy,
    submittedAt: row.submittedAt,
    reviewedBy: row.reviewedBy,
    reviewedAt: row.reviewedAt,
    rejectionReason: row.rejectionReason,
    createdAt: row.createdAt,
  };
}

const WITH_PHOTOS = { photos: { orderBy: [{ uploadedAt: 'asc' }, { id: 'asc' }] } } satisfies Prisma.DutyReportInclude;
/** A duty's reports in the order they were opened (attempt 1, 2…), whatever the clock's resolution. */
const OLDEST_FIRST: Prisma.DutyReportOrderByWithRelationInput[] = [{ attempt: 'asc' }];

export class PrismaReportStore implements ReportStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly prisma: DutyDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async schedule(id: string): Promise<DutySchedule | null> {
    const row = await this.prisma.dutySchedule.findUnique({ where: { id } });
    return row ? toSchedule(row) : null;
  }

  async reportsOfSchedules(scheduleIds: readonly string[]): Promise<DutyReport[]> {
    if (!scheduleIds.length) return [];
    const rows = await this.prisma.dutyReport.findMany({
      where: { scheduleId: { in: [...new Set(scheduleIds)] } },
      include: WITH_PHOTOS,
      orderBy: OLDEST_FIRST,
    });
    return rows.map(toReport);
  }

  async photo(photoId: string): Promise<{ photo: ReportPhoto; scheduleId: string } | null> {
    const row = await this.prisma.reportPhoto.findUnique({
      where: { id: photoId },
      include: { report: { select: { scheduleId: true } } },
    });
    return row ? { photo: toPhoto(row), scheduleId: row.report.scheduleId } : null;
  }

  async addPhoto(
    scheduleId: string,
    { photo, newReportId }: PhotoAddition,
    check: (schedule: DutySchedule, reports: readonly DutyReport[]) => void,
  ): Promise<DutyReport> {
    return this.prisma.$transaction(async (tx) => {
      const { schedule, reports } = await this.locked(tx, scheduleId);
      check(schedule, reports);
      const latest = reports[reports.length - 1];
      let reportId = latest?.status === 'draft' ? latest.id : undefined;
      if (!reportId) {
        // A first photo, or the first after a rejection: it opens a new draft report.
        reportId = newReportId;
        await tx.dutyReport.create({
          data: {
            id: reportId,
            scheduleId,
            attempt: reports.length + 1,
            status: 'draft',
            createdAt: photo.uploadedAt,
          },
        });
      }
      await tx.reportPhoto.create({ data: { ...photo, reportId } });
      return this.report(tx, reportId);
    });
  }

  async removePhoto(
    scheduleId: string,
    check: (schedule: DutySchedule, reports: readonly DutyReport[]) => ReportPhoto,
  ): Promise<{ report: DutyReport; removed: ReportPhoto }> {
    return this.prisma.$transaction(async (tx) => {
      const { schedule, reports } = await this.locked(tx, scheduleId);
      const removed = check(schedule, reports);
      await tx.reportPhoto.delete({ where: { id: removed.id } });
      return { report: await this.report(tx, removed.reportId), removed };
    });
  }

  async change(
    scheduleId: string,
    decide: (schedule: DutySchedule, reports: readonly DutyReport[]) => ReportChange,
  ): Promise<{ schedule: DutySchedule; report: DutyReport }> {
    const result = await this.prisma.$transaction(async (tx) => {
      const { schedule, reports } = await this.locked(tx, scheduleId);
      const { report, scheduleStatus, scheduleTimes, events } = decide(schedule, reports);
      const { id } = report;
      // Only the review columns: `report` may carry more (the caller spreads a whole report).
      await tx.dutyReport.update({
        where: { id },
        data: {
          status: report.status,
          submittedBy: report.submittedBy,
          submittedAt: report.submittedAt,
          reviewedBy: report.reviewedBy,
          reviewedAt: report.reviewedAt,
          rejectionReason: report.rejectionReason,
        },
      });
      const row = await tx.dutySchedule.update({
        where: { id: scheduleId },
        data: { status: scheduleStatus, ...scheduleTimes, version: { increment: 1 } },
      });
      await enqueueEvents(tx, events);
      return { schedule: toSchedule(row), report: await this.report(tx, id), wroteEvents: events.length > 0 };
    });
    if (result.wroteEvents) this.onEventsCommitted();
    return { schedule: result.schedule, report: result.report };
  }

  async submittedReports(query: ReportReviewQuery, page: PageRequest): Promise<Page<DutyReport>> {
    const schedule: Prisma.DutyScheduleWhereInput[] = [];
    if (query.building !== undefined) schedule.push({ building: query.building });
    if (query.entrance !== undefined) schedule.push({ entrance: query.entrance });
    if (query.entrances) {
      schedule.push({ OR: query.entrances.map((e) => ({ building: e.building, entrance: e.entrance })) });
    }
    if (query.from !== undefined) schedule.push({ dutyDate: { gte: toDateColumn(query.from) } });
    if (query.to !== undefined) schedule.push({ dutyDate: { lte: toDateColumn(query.to) } });
    const where: Prisma.DutyReportWhereInput = { status: 'submitted', schedule: { AND: schedule } };
    const [rows, total] = await Promise.all([
      this.prisma.dutyReport.findMany({
        where,
        include: WITH_PHOTOS,
        orderBy: [{ submittedAt: 'asc' }, { id: 'asc' }],
        skip: page.skip,
        take: page.take,
      }),
      this.prisma.dutyReport.count({ where }),
    ]);
    return pageOf(rows.map(toReport), total, page);
  }

  /** The duty, locked for the rest of the transaction, and its reports as they are now. */
  private async locked(tx: Tx, scheduleId: string): Promise<{ schedule: DutySchedule; reports: DutyReport[] }> {
    await tx.$queryRaw`SELECT id FROM duty_schedules WHERE id = ${scheduleId}::uuid FOR UPDATE`;
    const row = await tx.dutySchedule.findUnique({ where: { id: scheduleId } });
    // The service read the duty before; duties are never deleted.
    if (!row) throw new Error(`duty schedule ${scheduleId} vanished`);
    const reports = await tx.dutyReport.findMany({
      where: { scheduleId },
      include: WITH_PHOTOS,
      orderBy: OLDEST_FIRST,
    });
    return { schedule: toSchedule(row), reports: reports.map(toReport) };
  }

  private async report(tx: Tx, id: string): Promise<DutyReport> {
    return toReport(await tx.dutyReport.findUniqueOrThrow({ where: { id }, include: WITH_PHOTOS }));
  }
}

export class PrismaCalendarFeeds implements CalendarFeedStore {
  constructor(private readonly prisma: DutyDatabase) {}

  async roomOf(roomId: string): Promise<RoomRef | null> {
    const row = await this.prisma.dutySchedule.findFirst({ where: { roomId }, orderBy: { dutyDate: 'desc' } });
    return row ? toSchedule(row).room : null;
  }

  async replaceFeed(feed: { roomId: string; tokenHash: string; createdBy: string; createdAt: Date }): Promise<void> {
    await this.prisma.roomCalendarFeed.upsert({
      where: { roomId: feed.roomId },
      create: feed,
      update: { tokenHash: feed.tokenHash, createdBy: feed.createdBy, createdAt: feed.createdAt },
    });
  }

  async roomOfToken(tokenHash: string): Promise<string | null> {
    const row = await this.prisma.roomCalendarFeed.findUnique({ where: { tokenHash }, select: { roomId: true } });
    return row?.roomId ?? null;
  }

  async dutiesOfRoom(roomId: string, from: LocalDate): Promise<DutySchedule[]> {
    const rows = await this.prisma.dutySchedule.findMany({
      where: { roomId, dutyDate: { gte: toDateColumn(from) } },
      orderBy: { dutyDate: 'asc' },
    });
    return rows.map(toSchedule);
  }
}
