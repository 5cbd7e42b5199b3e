import type pg from 'pg';
import { columnsAsFields, pageOf, type Page, type PageRequest } from '@campus/platform';
import type { ApplicationView, DocumentView } from '../domain/application-view';
import type { RecordedEvent } from '../domain/leave-application';
import type { ApplicantPage, ApplicationFilter, ReadModel } from '../services/ports';
import { Prisma, type ApplicationRow, type LeaveDatabase } from './database';
import { fromApplicationRow, fromDocumentRow } from './projection.mapper';
import { toRecordedEvent } from './stored-events.mapper';

/** Every column of the read model under its Prisma field name (ApplicationRow's shape). */
const VIEW_SELECT = columnsAsFields(Prisma.LeaveApplicationViewScalarFieldEnum);

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
   * (applicant_id, status, leave_at, return_at): return_at is filtered within the index), which
   * costs a fraction of Prisma's query pipeline for one number. Pending applications already over
   * (return_at ≤ now) do not count.
   */
  async pendingCountOf(applicantId: string, now: Date): Promise<number> {
    const { rows } = await this.pool.query<{ pending: number }>({
      name: 'leave.pending-count', // prepared once per connection
      text: `SELECT count(*)::int AS pending FROM leave_applications_view
              WHERE applicant_id = $1 AND status = 'PENDING' AND return_at > $2`,
      values: [applicantId, now],
    });
    return rows[0]?.pending ?? 0;
  }

  /**
   * Plain SQL on the pool, one named statement per combination of filters (prepared once per
   * connection): Prisma compiled its findMany and count anew on every staff page, ~28 % of leave's
   * CPU under the bench's pages of 20.
   */
  async list(filter: ApplicationFilter, page: PageRequest): Promise<Page<ApplicationView>> {
    const { names, conditions, values } = conditionsOf(filter);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const statement = `leave.list:${names.join(',')}`;
    const n = values.length;
    const [rows, counted] = await Promise.all([
      this.pool.query<ApplicationRow>({
        name: statement,
        text: `SELECT ${VIEW_SELECT} FROM leave_applications_view ${where}
                ORDER BY submitted_at DESC, id DESC OFFSET $${n + 1} LIMIT $${n + 2}`,
        values: [...values, page.skip, page.take],
      }),
      this.pool.query<{ total: number }>({
        name: `${statement}:count`,
        text: `SELECT count(*)::int AS total FROM leave_applications_view ${where}`,
        values,
      }),
    ]);
    return pageOf(rows.rows.map(fromApplicationRow), counted.rows[0]?.total ?? 0, page);
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

/**
 * Filters → SQL conditions over leave_applications_view, with their values as $1, $2, … in the
 * order of `names`. `from`/`to` select applications whose leave period overlaps [from, to).
 */
function conditionsOf(filter: ApplicationFilter): { names: string[]; conditions: string[]; values: unknown[] } {
  const names: string[] = [];
  const conditions: string[] = [];
  const values: unknown[] = [];
  const add = (name: string, value: unknown, condition: (param: string) => string) => {
    if (value === undefined) return;
    values.push(value);
    names.push(name);
    conditions.push(condition(`$${values.length}`));
  };
  add('status', filter.status, (p) => `status = ${p}::"LeaveStatus"`);
  add('building', filter.building, (p) => `building = ${p}`);
  add('entrance', filter.entrance, (p) => `entrance = ${p}::int`);
  add('room', filter.room, (p) => `room = ${p}`);
  add('applicant', filter.applicantId, (p) => `applicant_id = ${p}::uuid`);
  add('to', filter.to, (p) => `leave_at < ${p}::timestamptz`);
  add('from', filter.from, (p) => `return_at > ${p}::timestamptz`);
  return { names, conditions, values };
}
