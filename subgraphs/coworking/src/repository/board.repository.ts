import { pageOf, type DatabasePool, type Page, type PageRequest } from '@campus/platform';
import { KEY_HOLDING_STATUSES, SLOT_HOLDING_STATUSES, type Booking, type BookingStatus } from '../domain/records';
import type { BoardRow, BoardStore, BookingListQuery } from '../services/ports';
import type { Booking as BookingRow, Coworking as CoworkingRow, CoworkingDatabase, Prisma } from './database';
import { NEWEST_FIRST, toBooking, toCoworking } from './booking.mapper';
import { BOOKING_COLUMNS, COWORKINGS_SQL } from './catalogue.repository';

/** Of these coworkings, the bookings holding a slot at $3 ($2 statuses) or the key ($4 statuses). */
const BOARD_BOOKINGS_SQL = `
  SELECT ${BOOKING_COLUMNS} FROM bookings
   WHERE coworking_id = ANY($1::uuid[])
     AND ((status = ANY($2::booking_status[]) AND starts_at <= $3::timestamptz AND ends_at > $3::timestamptz)
          OR status = ANY($4::booking_status[]))`;

/** Every filter rides an index: (coworking_id, starts_at), (student_id, starts_at), (status, starts_at), starts_at, ends_at; building via coworkings (building, name). */
function whereOf(query: BookingListQuery): Prisma.BookingWhereInput {
  return {
    ...(query.coworkingId !== undefined ? { coworkingId: query.coworkingId } : {}),
    ...(query.studentId !== undefined ? { studentId: query.studentId } : {}),
    ...(query.status !== undefined ? { status: query.status } : {}),
    ...(query.building !== undefined ? { coworking: { building: query.building } } : {}),
    ...(query.from !== undefined ? { endsAt: { gt: query.from } } : {}),
    ...(query.to !== undefined ? { startsAt: { lt: query.to } } : {}),
  };
}

/** Reading bookings: one, many, pages of history, the live board. */
export class PrismaBoard implements BoardStore {
  constructor(
    private readonly db: CoworkingDatabase,
    /** The board's two reads are named, plain SQL on the pool (see PrismaCatalogue). */
    private readonly pool: DatabasePool,
  ) {}

  async findBooking(id: string): Promise<Booking | null> {
    const row = await this.db.booking.findUnique({ where: { id } });
    return row ? toBooking(row) : null;
  }

  async bookingsByIds(ids: readonly string[]): Promise<Booking[]> {
    if (!ids.length) return [];
    const rows = await this.db.booking.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toBooking);
  }

  async listBookings(query: BookingListQuery, page: PageRequest): Promise<Page<Booking>> {
    const where = whereOf(query);
    const [rows, total] = await this.db.$transaction([
      this.db.booking.findMany({ where, orderBy: NEWEST_FIRST, skip: page.skip, take: page.take }),
      this.db.booking.count({ where }),
    ]);
    return pageOf(rows.map(toBooking), total, page);
  }

  async pagesOfStudents(
    studentIds: readonly string[],
    status: BookingStatus | undefined,
    page: PageRequest,
  ): Promise<Page<Booking>[]> {
    if (!studentIds.length) return [];
    // One statement for every student: each one's page by row number, with each one's total.
    const picked = await this.db.$queryRaw<{ id: string; student_id: string; total: bigint }[]>`
      SELECT id, student_id, total FROM (
        SELECT id, student_id,
               row_number() OVER (PARTITION BY student_id ORDER BY starts_at DESC, id DESC) AS n,
               count(*) OVER (PARTITION BY student_id) AS total
        FROM bookings
        WHERE student_id = ANY(${[...studentIds]}::uuid[])
          AND (${status ?? null}::text IS NULL OR status::text = ${status ?? null}::text)
      ) ranked
      WHERE n > ${page.skip} AND n <= ${page.skip + page.take}
      ORDER BY n`;
    const rows = new Map((await this.bookingsByIds(picked.map((p) => p.id))).map((b) => [b.id, b]));
    const totals = new Map<string, number>();
    const items = new Map<string, Booking[]>();
    for (const p of picked) {
      totals.set(p.student_id, Number(p.total));
      const booking = rows.get(p.id);
      if (booking) items.set(p.student_id, [...(items.get(p.student_id) ?? []), booking]);
    }
    // A student past their last page gets no rows, hence no total: count those few apart.
    const missing = studentIds.filter((id) => !totals.has(id));
    if (missing.length && page.skip > 0) {
      const counts = await this.db.booking.groupBy({
        by: ['studentId'],
        where: { studentId: { in: missing }, ...(status ? { status } : {}) },
        _count: { _all: true },
      });
      for (const c of counts) totals.set(c.studentId, c._count._all);
    }
    return studentIds.map((id) => pageOf(items.get(id) ?? [], totals.get(id) ?? 0, page));
  }

  /** Two queries whatever the number of coworkings: the coworkings, then the bookings that matter now. */
  async board(building: string | undefined, now: Date): Promise<BoardRow[]> {
    const { rows: coworkings } = await this.pool.query<CoworkingRow>({
      name: 'coworking.coworkings',
      text: COWORKINGS_SQL,
      values: [building ?? null, false],
    });
    if (!coworkings.length) return [];
    const { rows: bookings } = await this.pool.query<BookingRow>({
      name: 'coworking.board-bookings',
      text: BOARD_BOOKINGS_SQL,
      values: [coworkings.map((c) => c.id), [...SLOT_HOLDING_STATUSES], now, [...KEY_HOLDING_STATUSES]],
    });
    return coworkings.map((row) => {
      const mine = bookings.filter((b) => b.coworkingId === row.id).map(toBooking);
      return {
        coworking: toCoworking(row),
        current:
          mine.find(
            (b) =>
              SLOT_HOLDING_STATUSES.includes(b.status) &&
              b.startsAt.getTime() <= now.getTime() &&
              b.endsAt.getTime() > now.getTime(),
          ) ?? null,
        keyHolder: mine.find((b) => KEY_HOLDING_STATUSES.includes(b.status)) ?? null,
      };
    });
  }
}
