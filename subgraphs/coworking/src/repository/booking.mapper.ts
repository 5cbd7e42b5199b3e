// Rows of campus_coworking ↔ the domain's records, shared by every repository of the service.
import type { Booking, Coworking } from '../domain/records';
import type { Booking as BookingRow, Coworking as CoworkingRow } from './database';

export function toCoworking(row: CoworkingRow): Coworking {
  return {
    id: row.id,
    building: row.building,
    name: row.name,
    description: row.description,
    capacity: row.capacity,
    available: row.available,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

export function toBooking(row: BookingRow): Booking {
  return {
    id: row.id,
    coworkingId: row.coworkingId,
    studentId: row.studentId,
    purpose: row.purpose,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    status: row.status,
    createdAt: row.createdAt,
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt,
    rejectionReason: row.rejectionReason,
    keyTakenAt: row.keyTakenAt,
    keyTakenBy: row.keyTakenBy,
    keyReturnRequestedAt: row.keyReturnRequestedAt,
    keyReturnRequestedBy: row.keyReturnRequestedBy,
    keyReturnedAt: row.keyReturnedAt,
    completedAt: row.completedAt,
    completedBy: row.completedBy,
    cancelledAt: row.cancelledAt,
    cancelledBy: row.cancelledBy,
    cancelledByCheckoutId: row.cancelledByCheckoutId,
    lastNightReminderAt: row.lastNightReminderAt,
    nightReminderCount: row.nightReminderCount,
    version: row.version,
  };
}

/** Newest first; the id breaks ties so that pages never overlap. */
export const NEWEST_FIRST = [{ startsAt: 'desc' as const }, { id: 'desc' as const }];

/** The SQLSTATE and constraint name of a database error anywhere in its cause chain (Prisma wraps the driver's). */
export function constraintViolation(error: unknown): { code: string; constraint: string | null } | null {
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const e = current as {
      code?: unknown;
      constraint?: unknown;
      meta?: { target?: unknown; constraint?: unknown; driverAdapterError?: unknown };
      cause?: unknown;
      originalCode?: unknown;
    };
    // Prisma's P2002 (unique) carries the target fields rather than the SQLSTATE.
    if (e.code === 'P2002') return { code: '23505', constraint: describeTarget(e.meta?.target) };
    const code = typeof e.originalCode === 'string' ? e.originalCode : e.code;
    if (typeof code === 'string' && /^\d{2}[0-9A-Z]\d{2}$/.test(code)) {
      return { code, constraint: typeof e.constraint === 'string' ? e.constraint : null };
    }
    current = e.meta?.driverAdapterError ?? e.cause;
  }
  return null;
}

function describeTarget(target: unknown): string | null {
  if (typeof target === 'string') return target;
  if (Array.isArray(target)) return target.join(',');
  if (target && typeof target === 'object' && 'fields' in target) return describeTarget(target.fields);
  return null;
}
