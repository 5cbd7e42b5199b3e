import DataLoader from 'dataloader';
import type { AuthContext, Page } from '@campus/platform';
import type { Booking, BookingStatus, Coworking } from '../../domain/records';
import type { CoworkingServices } from '../../services';
import type { BusySlot } from '../../services/catalogue.service';

/** A coworking's busy slots over a window (ISO instants). */
export interface BusyKey {
  coworkingId: string;
  from: string;
  to: string;
}

/** A user's bookings page (User.coworkingBookings). */
export interface UserBookingsKey {
  userId: string;
  status?: BookingStatus | undefined;
  page?: number | null | undefined;
  size?: number | null | undefined;
}

/**
 * Per-request DataLoaders: every entity and nested list a query resolves is fetched in one
 * statement per kind, however many parents there are (federation's `_entities` resolves references
 * one by one; the loaders batch them).
 */
export interface CoworkingLoaders {
  coworking: DataLoader<string, Coworking | null>;
  booking: DataLoader<string, Booking | null>;
  /** Busy slots of many coworkings, one query per distinct window (one per field selection). */
  busySlots: DataLoader<BusyKey, BusySlot[], string>;
  /** Users' bookings pages, one statement per distinct (status, page, size). */
  userBookings: DataLoader<UserBookingsKey, Page<Booking>, string>;
  // W2 / W3: their loaders, if any, go here.
}

/** The loader's keys of coworkings' busy slots over one window (its instants written once). */
export function busyKeysIn(window: { from: Date; to: Date }): (coworkingId: string) => BusyKey {
  const from = window.from.toISOString();
  const to = window.to.toISOString();
  return (coworkingId) => ({ coworkingId, from, to });
}

const busyKey = (k: BusyKey) => `${k.coworkingId}|${k.from}|${k.to}`;
const pageKey = (k: Omit<UserBookingsKey, 'userId'>) => `${k.status ?? ''}|${k.page ?? ''}|${k.size ?? ''}`;

/** Groups keys by what all members of a group share (`shared`), keeping the input order for the answer. */
function groupBy<K>(keys: readonly K[], shared: (key: K) => string): Map<string, K[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) groups.set(shared(key), [...(groups.get(shared(key)) ?? []), key]);
  return groups;
}

export function createLoaders(services: CoworkingServices, auth: AuthContext | null): CoworkingLoaders {
  const { catalogue, board } = services;
  return {
    coworking: new DataLoader(async (ids) => {
      const byId = new Map((await catalogue.byIds(ids)).map((c) => [c.id, c]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    booking: new DataLoader(async (ids) => {
      const byId = new Map((await board.bookingsByIds(ids)).map((b) => [b.id, b]));
      return ids.map((id) => byId.get(id) ?? null);
    }),
    busySlots: new DataLoader(
      async (keys) => {
        const answers = new Map<string, BusySlot[]>();
        for (const group of groupBy(keys, (k) => `${k.from}|${k.to}`).values()) {
          const { from, to } = group[0]!;
          const slots = await catalogue.busySlots(
            auth,
            group.map((k) => k.coworkingId),
            { from: new Date(from), to: new Date(to) },
          );
          for (const key of group) answers.set(busyKey(key), slots.get(key.coworkingId) ?? []);
        }
        return keys.map((key) => answers.get(busyKey(key)) ?? []);
      },
      { cacheKeyFn: busyKey },
    ),
    userBookings: new DataLoader(
      async (keys) => {
        const answers = new Map<string, Page<Booking>>();
        for (const group of groupBy(keys, pageKey).values()) {
          const { status, page, size } = group[0]!;
          // Authorized per user by the resolver (board.assertMayListOfUser) before it loads.
          const pages = await board.pagesOfUsers(
            group.map((k) => k.userId),
            { status, page, size },
          );
          group.forEach((key, i) => answers.set(`${key.userId}|${pageKey(key)}`, pages[i]!));
        }
        return keys.map((key) => answers.get(`${key.userId}|${pageKey(key)}`)!);
      },
      { cacheKeyFn: (k) => `${k.userId}|${pageKey(k)}` },
    ),
  };
}
