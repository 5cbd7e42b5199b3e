import { SLOT_HOLDING_STATUSES, type Booking, type Coworking } from '../domain/records';
import { CoworkingErrors } from '../domain/errors';
import type { CatalogueStore, CoworkingChanges, CoworkingDraft } from '../services/ports';
import type { CoworkingDatabase } from './database';
import { constraintViolation, toBooking, toCoworking } from './booking.mapper';

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

/** The catalogue of coworkings and what of their bookings it shows (busy slots). */
export class PrismaCatalogue implements CatalogueStore {
  constructor(private readonly db: CoworkingDatabase) {}

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
    const rows = await this.db.coworking.findMany({
      where: {
        ...(query.building !== undefined ? { building: query.building } : {}),
        ...(query.availableOnly ? { available: true } : {}),
      },
      orderBy: [{ building: 'asc' }, { name: 'asc' }],
    });
    return rows.map(toCoworking);
  }

  async busyBookings(coworkingIds: readonly string[], from: Date, to: Date): Promise<Booking[]> {
    if (!coworkingIds.length) return [];
    const rows = await this.db.booking.findMany({
      where: {
        coworkingId: { in: [...coworkingIds] },
        status: { in: [...SLOT_HOLDING_STATUSES] },
        startsAt: { lt: to },
        endsAt: { gt: from },
      },
      orderBy: [{ startsAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toBooking);
  }
}
