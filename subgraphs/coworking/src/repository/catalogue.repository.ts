import { columnsAsFields, type DatabasePool } from '@campus/platform';
import { SLOT_HOLDING_STATUSES, type Booking, type Coworking } from '../domain/records';
import { CoworkingErrors } from '../domain/errors';
import type { CatalogueStore, CoworkingChanges, CoworkingDraft } from '../services/ports';
import { Prisma, type Booking as BookingRow, type Coworking as CoworkingRow, type CoworkingDatabase } from './database';
import { constraintViolation, toBooking, toCoworking } from './booking.mapper';

const COWORKING_COLUMNS = columnsAsFields(Prisma.CoworkingScalarFieldEnum);
export const BOOKING_COLUMNS = columnsAsFields(Prisma.BookingScalarFieldEnum);

/** Coworkings of a building ($1, null: every building), available ones only if $2, by building and name. */
export const COWORKINGS_SQL = `
  SELECT ${COWORKING_COLUMNS} FROM coworkings
   WHERE ($1::text IS NULL OR building = $1::text) AND (NOT $2::boolean OR available)
   ORDER BY building, name`;

/** Bookings that hold a slot of these coworkings and overlap [from, to), by start. */
const BUSY_SQL = `
  SELECT ${BOOKING_COLUMNS} FROM bookings
   WHERE coworking_id = ANY($1::uuid[]) AND status = ANY($2::booking_status[])
     AND starts_at < $3::timestamptz AND ends_at > $4::timestamptz
   ORDER BY starts_at, id`;

/** The only unique key of coworkings besides the id is (building, name). */
function nameTaken(error: unknown, building: string | null, name: string | undefined): never {
  if (constraintViolation(error)?.code === '23505') {
    throw CoworkingErrors.error('NAME_TAKEN', 'The building already has a coworking with this name', {
      ...(building !== null ? { building } : {}),
      name,
    });
  }
  throw error;
}

/**
 * The catalogue of coworkings and what of their bookings it shows (busy slots). The lists every
 * student screen asks for are named, plain SQL on the pool: Prisma compiled each of them anew per
 * request (with the board's, ~44 % of coworking's CPU under the bench).
 */
export class PrismaCatalogue implements CatalogueStore {
  constructor(
    private readonly db: CoworkingDatabase,
    private readonly pool: DatabasePool,
  ) {}

  async create(draft: CoworkingDraft & { id: string; at: Date }): Promise<Coworking> {
    try {
      const row = await this.db.coworking.create({
        data: {
          id: draft.id,
          building: draft.building,
          name: draft.name,
          description: draft.description,
          capacity: draft.capacity,
          available: draft.available,
          createdAt: draft.at,
          updatedAt: draft.at,
        },
      });
      return toCoworking(row);
    } catch (error) {
      return nameTaken(error, draft.building, draft.name);
    }
  }

  async update(
    id: string,
    changes: CoworkingChanges,
    expectedVersion: number | null,
    at: Date,
  ): Promise<Coworking | 'stale' | null> {
    try {
      const { count } = await this.db.coworking.updateMany({
        where: { id, ...(expectedVersion !== null ? { version: expectedVersion } : {}) },
        data: { ...changes, updatedAt: at, version: { increment: 1 } },
      });
      const row = await this.db.coworking.findUnique({ where: { id } });
      if (!row) return null;
      return count ? toCoworking(row) : 'stale';
    } catch (error) {
      return nameTaken(error, null, changes.name);
    }
  }

  async find(id: string): Promise<Coworking | null> {
    const row = await this.db.coworking.findUnique({ where: { id } });
    return row ? toCoworking(row) : null;
  }

  async byIds(ids: readonly string[]): Promise<Coworking[]> {
    if (!ids.length) return [];
    const rows = await this.db.coworking.findMany({ where: { id: { in: [...ids] } } });
    return rows.map(toCoworking);
  }

  async list(query: { building?: string; availableOnly: boolean }): Promise<Coworking[]> {
    const { rows } = await this.pool.query<CoworkingRow>({
      name: 'coworking.coworkings',
      text: COWORKINGS_SQL,
      values: [query.building ?? null, query.availableOnly],
    });
    return rows.map(toCoworking);
  }

  async busyBookings(coworkingIds: readonly string[], from: Date, to: Date): Promise<Booking[]> {
    if (!coworkingIds.length) return [];
    const { rows } = await this.pool.query<BookingRow>({
      name: 'coworking.busy-bookings',
      text: BUSY_SQL,
      values: [[...coworkingIds], [...SLOT_HOLDING_STATUSES], to, from],
    });
    return rows.map(toBooking);
  }
}
