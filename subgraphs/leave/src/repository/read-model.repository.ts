import type pg from 'pg';
import { pageOf, type Page, type PageRequest } from '@campus/platform';
import type { ApplicationView, DocumentView } from '../domain/application-view';
import type { RecordedEvent } from '../domain/leave-application';
import type { ApplicantPage, ApplicationFilter, ReadModel } from '../services/ports';
import { Prisma, type ApplicationRow, type LeaveDatabase } from './database';
import { fromApplicationRow, fromDocumentRow } from './projection.mapper';
import { toRecordedEvent } from './stored-events.mapper';

/** Every column of the read model under its Prisma field name (ApplicationRow's shape). */
const VIEW_SELECT = Object.values(Prisma.LeaveApplicationViewScalarFieldEnum)
  .map((field) => `${field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)} AS "${field}"`)
  .join(', ');

/** Approved applications covering an instant, of some applicants or ($2 null) of all. */
const APPROVED_COVERING_SQL = `
  SELECT ${VIEW_SELECT} FROM leave_applications_view
   WHERE status = 'APPROVED' AND leave_at <= $1 AND return_at > $1
     AND ($2::uuid[] IS NULL OR applicant_id = ANY($2::uuid[]))
   ORDER BY applicant_id, leave_at`;

/**
 * One page of applications per applicant (a student's home screen asks for theirs through the User
 * entity): each applicant's rows ranked in list order, the page's ranks kept, in one statement.
 */
const APPLICANTS_PAGE_SQL = `
  SELECT ${VIEW_SELECT} FROM (
    SELECT view.*, row_number() OVER (PARTITION BY applicant_id ORDER BY submitted_at DESC, id DESC) AS rank
      FROM leave_applications_view view
     WHERE applicant_id = ANY($1::uuid[]) AND ($2::text IS NULL OR status::text = $2::text)
  ) ranked
  WHERE rank > $3 AND rank <= $4
  ORDER BY submitted_at DESC, id DESC`;

const LIST_ORDER: Prisma.LeaveApplicationViewOrderByWithRelationInput[] = [{ submittedAt: 'desc' }, { id: 'desc' }];

/** Queries over the projection tables (and the event store for history). */
export class PrismaReadModel implements ReadModel {
  constructor(
    private readonly db: LeaveDatabase,
    private readonly pool: pg.Pool,
  ) {}

  async applicationsByIds(ids: readonly string[]): Promise<ApplicationView[]> {
    const rows = await this.db.leaveApplicationView.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(fromApplicationRow);
  }

  /**
   * Asked on every submission: plain SQL on the pool (an index-only count on
   * (applicant_id, status, …)), which costs a fraction of Prisma's query pipeline for one number.
   */
  async pendingCountOf(applicantId: string): Promise<number> {
    const { rows } = await this.pool.query<{ pending: number }>({
      name: 'leave.pending-count', // prepared once per connection
      text: `SELECT count(*)::int AS pending FROM leave_applications_view WHERE applicant_id = $1 AND status = 'PENDING'`,
      values: [applicantId],
    });
    return rows[0]?.pending ?? 0;
  }

  async list(filter: ApplicationFilter, page: PageRequest): Promise<Page<ApplicationView>> {
    const where = whereOf(filter);
    const [rows, total] = await Promise.all([
      this.db.leaveApplicationView.findMany({ where, orderBy: LIST_ORDER, skip: page.skip, take: page.take }),
      this.db.leaveApplicationView.count({ where }),
    ]);
    return pageOf(rows.map(fromApplicationRow), total, page);
  }

  async applicationsOfApplicants(
    applicantIds: readonly string[],
    { status, page }: ApplicantPage,
  ): Promise<Map<string, ApplicationView[]>> {
    // Named, plain SQL: asked on every home screen, where Prisma compiled two operations anew.
    const { rows } = await this.pool.query<ApplicationRow>({
      name: 'leave.applicants-page',
      text: APPLICANTS_PAGE_SQL,
      values: [[...applicantIds], status ?? null, page.skip, page.skip + page.take],
    });
    const byApplicant = new Map<string, ApplicationView[]>(applicantIds.map((id) => [id, []]));
    for (const row of rows) byApplicant.get(row.applicantId)?.push(fromApplicationRow(row));
    return byApplicant;
  }

  async documentsOf(applicationIds: readonly string[]): Promise<DocumentView[]> {
    const rows = await this.db.leaveDocumentView.findMany({
      where: { applicationId: { in: [...applicationIds] } },
      orderBy: [{ uploadedAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(fromDocumentRow);
  }

  async document(documentId: string): Promise<DocumentView | null> {
    const row = await this.db.leaveDocumentView.findUnique({ where: { id: documentId } });
    return row ? fromDocumentRow(row) : null;
  }

  async historyOf(applicationIds: readonly string[]): Promise<RecordedEvent[]> {
    const rows = await this.db.leaveEvent.findMany({
      where: { streamId: { in: [...applicationIds] } },
      orderBy: [{ streamId: 'asc' }, { version: 'asc' }],
    });
    return rows.map(toRecordedEvent);
  }

  /**
   * Asked by every patrol start (over gRPC): plain SQL, named (prepared once per connection), not a
   * Prisma operation compiled anew each time.
   */
  async approvedCovering(at: Date, applicantIds: readonly string[] | null): Promise<ApplicationView[]> {
    const { rows } = await this.pool.query<ApplicationRow>({
      name: 'leave.approved-covering',
      text: APPROVED_COVERING_SQL,
      values: [at, applicantIds ? [...applicantIds] : null],
    });
    return rows.map(fromApplicationRow);
  }
}

/** Filters → WHERE. `from`/`to` select applications whose leave period overlaps [from, to). */
function whereOf(filter: ApplicationFilter): Prisma.LeaveApplicationViewWhereInput {
  return {
    ...(filter.status !== undefined ? { status: filter.status } : {}),
    ...(filter.building !== undefined ? { building: filter.building } : {}),
    ...(filter.entrance !== undefined ? { entrance: filter.entrance } : {}),
    ...(filter.room !== undefined ? { room: filter.room } : {}),
    ...(filter.applicantId !== undefined ? { applicantId: filter.applicantId } : {}),
    ...(filter.to !== undefined ? { leaveAt: { lt: filter.to } } : {}),
    ...(filter.from !== undefined ? { returnAt: { gt: filter.from } } : {}),
  };
}
