import type { Clock, Logger } from '@campus/platform';
import { dueNightReminders, isNightAt, isStaleFiring, type NightWindow } from '../domain/night-reminders';
import { bookingEvent } from '../events/booking-events';
import type { NightReminderStore } from './ports';

export interface NightRemindersOptions {
  store: NightReminderStore;
  clock: Clock;
  window: NightWindow;
  timeZone: string;
  logger?: Logger;
}

/**
 * The night reminders (domain spec §7), run by the `coworking-night-reminder` scheduler job at each
 * firing and callable directly: a firing due at night reminds the holder of every key still out,
 * once per booking and firing however many runs of it there are (two replicas, a retried job).
 */
export class NightReminders {
  constructor(private readonly options: NightRemindersOptions) {}

  /** Reminds for the firing due at `dueAt`; the number of reminders this run wrote. */
  async run(dueAt: Date): Promise<number> {
    const { store, clock, window, timeZone, logger } = this.options;
    if (!isNightAt(dueAt, window, timeZone)) return 0;
    const now = clock.now();
    if (isStaleFiring(dueAt, now)) {
      logger?.info({ dueAt: dueAt.toISOString() }, 'night reminder firing too late, skipped');
      return 0;
    }
    let sent = 0;
    const keysOut = (await store.keysOut(dueAt)).map((k) => k.booking);
    for (const booking of dueNightReminders(keysOut, dueAt, window, timeZone)) {
      const reminded = await store.remind(booking.id, dueAt, now, (r) => [
        bookingEvent('night_reminder', r.booking, r.coworking, { actorId: null, at: dueAt }),
      ]);
      if (reminded) sent += 1;
    }
    if (sent) logger?.info({ dueAt: dueAt.toISOString(), sent }, 'night reminders');
    return sent;
  }
}
