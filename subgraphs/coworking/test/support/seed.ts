// Rows written straight into campus_coworking, for tests that need bookings in a given state
// without walking the whole lifecycle (the lifecycle has its own tests).
import { randomUUID } from 'node:crypto';
import type { BookingStatus } from '../../src/domain/records';
import { toBooking, toCoworking } from '../../src/repository/booking.mapper';
import type { CoworkingDatabase } from '../../src/repository/database';

export async function seedCoworking(
  db: CoworkingDatabase,
  fields: { building?: string; name?: string; capacity?: number; available?: boolean } = {},
) {
  const row = await db.coworking.create({
    data: {
      id: randomUUID(),
      building: fields.building ?? '8',
      name: fields.name ?? `Room ${randomUUID().slice(0, 6)}`,
      capacity: fields.capacity ?? 6,
      available: fields.available ?? true,
    },
  });
  return toCoworking(row);
}

export interface SeedBooking {
  coworkingId: string;
  studentId?: string;
  status?: BookingStatus;
  startsAt: string | Date;
  endsAt: string | Date;
  createdAt?: string | Date;
  keyTakenAt?: string | Date | null;
  decidedBy?: string | null;
  purpose?: string;
}

/** A booking in any status; key_* statuses get keyTakenAt = startsAt unless given. */
export async function seedBooking(db: CoworkingDatabase, b: SeedBooking) {
  const status = b.status ?? 'pending';
  const keyOut = ['key_taken', 'key_return_requested', 'key_returned', 'completed'].includes(status);
  const row = await db.booking.create({
    data: {
      id: randomUUID(),
      coworkingId: b.coworkingId,
      studentId: b.studentId ?? randomUUID(),
      purpose: b.purpose ?? 'study group',
      status,
      startsAt: new Date(b.startsAt),
      endsAt: new Date(b.endsAt),
      ...(b.createdAt ? { createdAt: new Date(b.createdAt) } : {}),
      ...(b.decidedBy ? { decidedBy: b.decidedBy, decidedAt: new Date(b.startsAt) } : {}),
      keyTakenAt:
        b.keyTakenAt === undefined ? (keyOut ? new Date(b.startsAt) : null) : b.keyTakenAt && new Date(b.keyTakenAt),
    },
  });
  return toBooking(row);
}
