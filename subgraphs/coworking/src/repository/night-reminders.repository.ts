import { enqueueEvents, type CloudEvent } from '@campus/platform';
import { KEY_OUT_STATUSES } from '../domain/night-reminders';
import type { Booking } from '../domain/records';
import type { KeyOutBooking, NightReminderStore } from '../services/ports';
import { toBooking } from './booking.mapper';
import type { CoworkingDatabase } from './database';

/** Thrown inside a reminder's transaction to roll back its night_reminders row (the key came back). */
class KeyNoLongerOut extends Error {}

/**
 * The night reminders' writes. A reminder is keyed by (booking, firing time) in night_reminders: of
 * two runs of one firing (two replicas, or a retried job), the second's INSERT waits for the first's
 * and then does nothing, so each booking is reminded once per firing and its count bumped once.
 */
export class PrismaNightReminders implements NightReminderStore {
  /** @param onEventsCommitted called after a transaction that wrote events commits (wakes the relay). */
  constructor(
    private readonly db: CoworkingDatabase,
    private readonly onEventsCommitted: () => void = () => undefined,
  ) {}

  async keysOut(dueAt: Date): Promise<KeyOutBooking[]> {
    // At most one key-out booking per coworking (bookings_one_key_holder): a small set, no paging.
    const rows = await this.db.booking.findMany({
      where: { status: { in: [...KEY_OUT_STATUSES] }, keyTakenAt: { lte: dueAt } },
      include: { coworking: { select: { id: true, name: true, building: true } } },
      orderBy: [{ keyTakenAt: 'asc' }, { id: 'asc' }],
    });
    const reminded = new Set(
      (
        await this.db.nightReminder.findMany({
          where: { dueAt, bookingId: { in: rows.map((r) => r.id) } },
          select: { bookingId: true },
        })
      ).map((r) => r.bookingId),
    );
    return rows
      .filter((row) => !reminded.has(row.id))
      .map(({ coworking, ...row }) => ({ booking: toBooking(row), coworking }));
  }

  async remind(
    bookingId: string,
    dueAt: Date,
    sentAt: Date,
    events: (reminded: KeyOutBooking) => readonly CloudEvent[],
  ): Promise<Booking | null> {
    let reminded: Booking | null;
    try {
      reminded = await this.db.$transaction(async (tx) => {
        // ON CONFLICT DO NOTHING: 0 when this firing already reminded this booking.
        const { count } = await tx.nightReminder.createMany({
          data: [{ bookingId, dueAt, sentAt }],
          skipDuplicates: true,
        });
        if (count === 0) return null;
        // Not a user's edit: `version` stays, so a concurrent command's optimistic check is unaffected.
        const [row] = await tx.booking.updateManyAndReturn({
          where: { id: bookingId, status: { in: [...KEY_OUT_STATUSES] } },
          data: { nightReminderCount: { increment: 1 }, lastNightReminderAt: dueAt },
        });
        if (!row) throw new KeyNoLongerOut();
        const coworking = await tx.coworking.findUniqueOrThrow({
          where: { id: row.coworkingId },
          select: { id: true, name: true, building: true },
        });
        const booking = toBooking(row);
        await enqueueEvents(tx, events({ booking, coworking }));
        return booking;
      });
    } catch (error) {
      if (error instanceof KeyNoLongerOut) return null;
      throw error;
    }
    if (reminded) this.onEventsCommitted();
    return reminded;
  }
}
