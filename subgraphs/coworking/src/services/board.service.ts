import { forbidden, pageRequest, requireAuth, type AuthContext, type Clock, type Page } from '@campus/platform';
import { isKeyOutAt, isNightAt, type NightWindow } from '../domain/night-reminders';
import { isStaffCaller, requireAnyRole, STAFF } from '../domain/policy';
import type { Booking, BookingStatus, Coworking } from '../domain/records';
import type { BoardStore, BookingListQuery } from './ports';

export interface CoworkingBoardOptions {
  store: BoardStore;
  clock: Clock;
  /** CAMPUS_TIMEZONE: "at night" is campus wall-clock time. */
  timeZone: string;
  /** When a key out counts as "at night" (the night reminders' window). */
  nightWindow: NightWindow;
}

export interface BoardEntry {
  coworking: Coworking;
  current: Booking | null;
  keyHolder: Booking | null;
  keyOutSince: Date | null;
  keyOutAtNight: boolean;
}

/**
 * Reading bookings (domain spec §7): one booking (its student and staff), the staff's live board,
 * the history, a user's bookings. The batch methods (for DataLoaders) do no authorization: the
 * resolvers authorize each parent first.
 */
export class CoworkingBoard {
  constructor(private readonly options: CoworkingBoardOptions) {}

  /** `booking(id)`: its student and staff; FORBIDDEN for anybody else; null when there is none. */
  async booking(auth: AuthContext | null, id: string): Promise<Booking | null> {
    requireAuth(auth);
    const booking = await this.options.store.findBooking(id);
    if (booking) this.assertMaySee(auth, booking);
    return booking;
  }

  /** Its student and staff may see a booking. */
  assertMaySee(auth: AuthContext | null, booking: Booking): void {
    const caller = requireAuth(auth);
    if (caller.userId !== booking.studentId && !isStaffCaller(caller)) {
      throw forbidden('Only the student who booked and staff see a booking', {
        rule: 'own_or_staff',
        bookingId: booking.id,
      });
    }
  }

  bookingsByIds(ids: readonly string[]): Promise<Booking[]> {
    return this.options.store.bookingsByIds(ids);
  }

  /** `coworkingBoard`: staff; every coworking (of a building), who is in it now, whose key is out. */
  async board(auth: AuthContext | null, building: string | undefined): Promise<BoardEntry[]> {
    requireAnyRole(auth, STAFF, 'coworking_board', building !== undefined ? { building } : {});
    const now = this.options.clock.now();
    const night = isNightAt(now, this.options.nightWindow, this.options.timeZone);
    return (await this.options.store.board(building, now)).map((row) => ({
      ...row,
      keyOutSince: row.keyHolder?.keyTakenAt ?? null,
      // As the night reminders count it: said returned (not yet confirmed) is no longer out.
      keyOutAtNight: !!row.keyHolder && night && isKeyOutAt(row.keyHolder, now),
    }));
  }

  /** `coworkingBookings`: staff; newest first. */
  async history(
    auth: AuthContext | null,
    filter: BookingListQuery,
    page: { page?: number | null | undefined; size?: number | null | undefined },
  ): Promise<Page<Booking>> {
    requireAnyRole(auth, STAFF, 'coworking_history');
    return this.options.store.listBookings(filter, pageRequest(page.page, page.size));
  }

  /** `User.coworkingBookings`: the user themself and staff (FORBIDDEN for anybody else). */
  assertMayListOfUser(auth: AuthContext | null, userId: string): void {
    const caller = requireAuth(auth);
    if (caller.userId !== userId && !isStaffCaller(caller)) {
      throw forbidden("Only the user themself and staff see a user's bookings", { rule: 'own_or_staff', userId });
    }
  }

  /** Pages of many users' bookings (newest first), for the loader; each user authorized first. */
  pagesOfUsers(
    userIds: readonly string[],
    query: { status?: BookingStatus | undefined; page?: number | null | undefined; size?: number | null | undefined },
  ): Promise<Page<Booking>[]> {
    return this.options.store.pagesOfStudents(userIds, query.status, pageRequest(query.page, query.size));
  }
}
