import { randomUUID } from 'node:crypto';
import { conflict, fromDependencies, requireAuth, type AuthContext, type Clock } from '@campus/platform';
import { buildingNotFound, CoworkingErrors, dependencyUnavailable } from '../domain/errors';
import { isStaffCaller, requireAnyRole, STAFF } from '../domain/policy';
import type { Booking, BookingStatus, Coworking } from '../domain/records';
import type { CampusLayout, CatalogueStore, CoworkingChanges, CoworkingDraft } from './ports';

export interface CoworkingCatalogueOptions {
  store: CatalogueStore;
  /** Identity's layout: a new coworking's building must be in it. */
  layout: CampusLayout;
  clock: Clock;
}

/**
 * A coworking as `coworkings` lists it: with whether the asked window is free (null: no window
 * asked) and, when one was, its busy slots in it (what `busySlots` of that window answers).
 */
export type ListedCoworking = Coworking & { freeInWindow: boolean | null; slotsInWindow?: BusySlot[] };

/** A taken slot; `booking` only for staff. */
export interface BusySlot {
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  booking: Booking | null;
}

export interface TimeWindow {
  from: Date;
  to: Date;
}

/** The default window of `busySlots`: the next 24 hours. */
export const DEFAULT_BUSY_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * The catalogue of coworkings (domain spec §7): staff keep it, anyone signed in reads it, with
 * what is taken when. Inputs arrive validated (schemas/catalogue.ts); names are unique per
 * building (the database's unique key → COWRK_NAME_TAKEN); a coworking's building is one of
 * identity's layout (COWRK_BUILDING_NOT_FOUND), fixed at creation (an edit cannot move it).
 */
export class CoworkingCatalogue {
  constructor(private readonly options: CoworkingCatalogueOptions) {}

  async create(auth: AuthContext | null, draft: CoworkingDraft): Promise<Coworking> {
    requireAnyRole(auth, STAFF, 'coworking_edit');
    // A mistyped code would file the coworking under a building nobody lives in, where no student
    // finds it; identity down refuses it (COWRK_DEPENDENCY_UNAVAILABLE) rather than guess.
    const [known] = await fromDependencies(
      (dependency, cause) => dependencyUnavailable(dependency, { cause: cause.code }),
      ['identity', this.options.layout.buildingExists(draft.building)],
    );
    if (!known) throw buildingNotFound(draft.building);
    return this.options.store.create({ ...draft, id: randomUUID(), at: this.options.clock.now() });
  }

  async update(
    auth: AuthContext | null,
    input: CoworkingChanges & { id: string; version?: number | undefined },
  ): Promise<Coworking> {
    requireAnyRole(auth, STAFF, 'coworking_edit', { coworkingId: input.id });
    const { id, version, ...rest } = input;
    const changes = Object.fromEntries(
      Object.entries(rest).filter(([, value]) => value !== undefined),
    ) as CoworkingChanges;
    const outcome = await this.options.store.update(id, changes, version ?? null, this.options.clock.now());
    if (outcome === null) throw CoworkingErrors.error('NOT_FOUND', 'No coworking has this id', { coworkingId: id });
    if (outcome === 'stale') {
      const current = await this.options.store.find(id);
      throw conflict('The coworking changed since you read it; re-read and edit again', {
        coworkingId: id,
        version,
        ...(current ? { currentVersion: current.version } : {}),
      });
    }
    return outcome;
  }

  /**
   * `coworkings`: anyone signed in; with a window, whether each is free for the whole of it and its
   * busy slots in it (one query for both).
   */
  async list(
    auth: AuthContext | null,
    query: { building?: string | undefined; availableOnly: boolean; window?: TimeWindow | undefined },
  ): Promise<ListedCoworking[]> {
    requireAuth(auth);
    const coworkings = await this.options.store.list({
      ...(query.building !== undefined ? { building: query.building } : {}),
      availableOnly: query.availableOnly,
    });
    if (!query.window) return coworkings.map((c) => ({ ...c, freeInWindow: null }));
    const slots = await this.busySlots(
      auth,
      coworkings.map((c) => c.id),
      query.window,
    );
    return coworkings.map((c) => {
      const slotsInWindow = slots.get(c.id) ?? [];
      return { ...c, freeInWindow: slotsInWindow.length === 0, slotsInWindow };
    });
  }

  /** `coworking(id)`: anyone signed in; null when there is none. */
  async get(auth: AuthContext | null, id: string): Promise<Coworking | null> {
    requireAuth(auth);
    return this.options.store.find(id);
  }

  /** For the loaders: no authorization (the resolvers' parents were authorized). */
  byIds(ids: readonly string[]): Promise<Coworking[]> {
    return this.options.store.byIds(ids);
  }

  /** The window `busySlots` looks at: the given one, else the next 24 hours. */
  busyWindow(window: Partial<TimeWindow>): TimeWindow {
    if (window.from && window.to) return { from: window.from, to: window.to };
    const from = this.options.clock.now();
    return { from, to: new Date(from.getTime() + DEFAULT_BUSY_WINDOW_MS) };
  }

  /**
   * `Coworking.busySlots` of many coworkings over one window, in one query: the slot-holding
   * bookings overlapping it, by start. Students see the times only; staff also the booking.
   */
  async busySlots(
    auth: AuthContext | null,
    coworkingIds: readonly string[],
    window: TimeWindow,
  ): Promise<Map<string, BusySlot[]>> {
    requireAuth(auth);
    const staff = isStaffCaller(auth);
    const slots = new Map<string, BusySlot[]>(coworkingIds.map((id) => [id, []]));
    for (const booking of await this.options.store.busyBookings(coworkingIds, window.from, window.to)) {
      slots.get(booking.coworkingId)?.push({
        startsAt: booking.startsAt,
        endsAt: booking.endsAt,
        status: booking.status,
        booking: staff ? booking : null,
      });
    }
    return slots;
  }
}
