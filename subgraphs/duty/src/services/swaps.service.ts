import { randomUUID } from 'node:crypto';
import {
  actsOnEntrance,
  conflict,
  forbidden,
  hasRole,
  requireAuth,
  type AuthContext,
  type Clock,
  type EntranceRef,
  type Page,
  type PageRequest,
} from '@campus/platform';
import { READ_SCOPE, requireResidentOf, requireSwapReviewer } from '../domain/policy';
import type { DutySchedule, DutySwap, DutyTimes, SwapStatus } from '../domain/records';
import { DutyErrors } from '../domain/errors';
import {
  acceptSwap,
  approveSwap,
  assertDatesAsAsked,
  assertExchangeable,
  assertNoOpenSwap,
  cancelSwap,
  declineSwap,
  exchangeDates,
  isOpenStatus,
  rejectSwap,
  requestSwap,
  type OpenSwapStatus,
  type SwapClock,
  type SwapStep,
} from '../domain/swaps';
import { swapEvent, type SwapEventStep } from '../events/duty-events';
import type { RoomDirectory, StoredSwap, SwapListQuery, SwapStore } from './ports';

export interface DutySwapsDeps {
  store: SwapStore;
  rooms: RoomDirectory;
  clock: Clock;
  times: DutyTimes;
  timeZone: string;
  newId?: () => string;
}

export interface SwapRequestInput {
  scheduleId: string;
  withScheduleId: string;
  reason: string | null;
}

export interface SwapDecisionInput {
  swapId: string;
  reason: string | null;
}

export interface SwapListFilter {
  building?: string;
  entrance?: number;
  status?: SwapStatus;
}

/** A swap with the two duties it concerns, as they are now. */
interface SwapWithDuties {
  swap: StoredSwap;
  from: DutySchedule;
  to: DutySchedule;
}

/**
 * Swap requests between two rooms of one entrance: a resident of the asking room requests (and may
 * cancel), a resident of the other room accepts or declines, staff of the entrance or its
 * student_head (unless the head lives in one of the two rooms) approve (the dates are exchanged) or
 * reject. Every step is recorded on the swap (who, when) and published.
 */
export class DutySwaps {
  private readonly newId: () => string;

  constructor(private readonly deps: DutySwapsDeps) {
    this.newId = deps.newId ?? randomUUID;
  }

  private swapClock(): SwapClock {
    return { now: this.deps.clock.now(), timeZone: this.deps.timeZone };
  }

  async request(auth: AuthContext | null | undefined, input: SwapRequestInput): Promise<StoredSwap> {
    const sent = { scheduleId: input.scheduleId, withScheduleId: input.withScheduleId };
    const caller = requireAuth(auth);
    const [from, to] = await this.duties(input.scheduleId, input.withScheduleId);
    if (!from) throw DutyErrors.error('NOT_FOUND', 'No duty has this id', { scheduleId: input.scheduleId });
    requireResidentOf(caller, from.room, sent);
    if (!to) throw DutyErrors.error('NOT_FOUND', 'No duty has this id', { scheduleId: input.withScheduleId });
    const clock = this.swapClock();
    assertExchangeable(from, to, await this.clashes(from, to), clock);
    assertNoOpenSwap(await this.openSwapOf(from.id, to.id));

    const swap = requestSwap({
      id: this.newId(),
      from,
      to,
      requestedBy: caller.userId,
      reason: input.reason,
      at: clock.now,
    });
    const event = await this.event('requested', swap, from, to, caller.userId, input.reason);
    const open = await this.deps.store.insertSwap(swap, [event]);
    // Another request on one of the duties committed between our check and our insert.
    assertNoOpenSwap(open ? { id: open.openSwapId } : null);
    return { ...swap, version: 1 };
  }

  async accept(auth: AuthContext | null | undefined, input: SwapDecisionInput): Promise<StoredSwap> {
    const { swap, from, to } = await this.load(input.swapId);
    const caller = requireResidentOf(auth, to.room, { swapId: input.swapId });
    const next = acceptSwap(swap, this.step(caller, input));
    // Agreeing to what can no longer be approved helps nobody: the duties must still be exchangeable.
    assertDatesAsAsked(swap, from, to);
    assertExchangeable(from, to, await this.clashes(from, to), this.swapClock());
    return this.write(next, swap.version, 'accepted', from, to, caller, input.reason);
  }

  async decline(auth: AuthContext | null | undefined, input: SwapDecisionInput): Promise<StoredSwap> {
    const { swap, from, to } = await this.load(input.swapId);
    const caller = requireResidentOf(auth, to.room, { swapId: input.swapId });
    const next = declineSwap(swap, this.step(caller, input));
    return this.write(next, swap.version, 'declined', from, to, caller, input.reason);
  }

  async cancel(auth: AuthContext | null | undefined, input: SwapDecisionInput): Promise<StoredSwap> {
    const { swap, from, to } = await this.load(input.swapId);
    const caller = requireResidentOf(auth, from.room, { swapId: input.swapId });
    const next = cancelSwap(swap, this.step(caller, input));
    // The event says what was withdrawn: an accepted swap was waiting for a reviewer, who is told.
    const previousStatus = isOpenStatus(swap.status) ? swap.status : undefined;
    return this.write(next, swap.version, 'cancelled', from, to, caller, input.reason, previousStatus);
  }

  /** Staff (or the entrance's student_head, not of either room) say no. */
  async reject(auth: AuthContext | null | undefined, input: SwapDecisionInput): Promise<StoredSwap> {
    const { swap, from, to } = await this.load(input.swapId);
    const caller = requireSwapReviewer(auth, swap, [from.room, to.room], { swapId: input.swapId });
    const next = rejectSwap(swap, this.step(caller, input));
    return this.write(next, swap.version, 'rejected', from, to, caller, input.reason);
  }

  /**
   * Staff (or the entrance's student_head, not of either room) approve: the two duties exchange
   * their dates (deadlines and reminders recomputed, versions bumped) in the same transaction as the
   * swap's step and its event. Both duties are checked again (still pending, not past, on the dates
   * asked, no clash); a refusal changes nothing.
   */
  async approve(auth: AuthContext | null | undefined, input: SwapDecisionInput): Promise<StoredSwap> {
    const { swap, from, to } = await this.load(input.swapId);
    const caller = requireSwapReviewer(auth, swap, [from.room, to.room], { swapId: input.swapId });
    const clock = this.swapClock();
    const next = approveSwap(swap, this.step(caller, input));
    assertDatesAsAsked(swap, from, to);
    assertExchangeable(from, to, await this.clashes(from, to), clock);

    const exchanged = exchangeDates(from, to, this.deps.times, clock);
    const event = await this.event('approved', next, from, to, caller.userId, input.reason);
    const outcome = await this.deps.store.approveSwap(
      next,
      swap.version,
      [
        { schedule: exchanged.from, expectedVersion: from.version },
        { schedule: exchanged.to, expectedVersion: to.version },
      ],
      [event],
    );
    if (outcome === 'date_taken') {
      // A duty was put on one of the dates after our check (a concurrent move or roster change).
      throw DutyErrors.error(
        'DATE_TAKEN',
        'A room got another duty on its new date meanwhile; re-read and decide again',
        {
          swapId: swap.id,
        },
      );
    }
    if (outcome === 'conflict') throw this.conflictOn(swap.id);
    return { ...next, version: swap.version + 1 };
  }

  /**
   * Swaps the caller may list, newest first: READ_SCOPE staff and the entrance's student_head see
   * the entrance's (an educator_head its assigned entrances), a student only their room's.
   */
  async list(
    auth: AuthContext | null | undefined,
    filter: SwapListFilter,
    page: PageRequest,
  ): Promise<Page<StoredSwap>> {
    const caller = requireAuth(auth);
    const query: SwapListQuery = { ...filter };
    const { building, entrance } = filter;
    if (
      building !== undefined &&
      entrance !== undefined &&
      actsOnEntrance(caller, { building, entrance }, READ_SCOPE)
    ) {
      return this.deps.store.listSwaps(query, page);
    }
    if (hasRole(caller, ...(READ_SCOPE.campusWide ?? []))) return this.deps.store.listSwaps(query, page);
    const scope = this.readableEntrances(caller).filter(
      (e) => (building === undefined || e.building === building) && (entrance === undefined || e.entrance === entrance),
    );
    if (scope.length) return this.deps.store.listSwaps({ ...query, entrances: scope }, page);

    // A resident sees their own room's swaps (within the filter; another entrance is not theirs to read).
    const home = caller.residence;
    const inFilter =
      home &&
      (building === undefined || building === home.building) &&
      (entrance === undefined || entrance === home.entrance);
    if (!home || !hasRole(caller, 'student') || !inFilter) {
      throw forbidden('You may list only the swaps of your room or of entrances you look after', {
        rule: 'swap_read',
        ...(building !== undefined ? { building } : {}),
        ...(entrance !== undefined ? { entrance } : {}),
      });
    }
    const roomIds = await this.deps.store.roomIdsOf({
      building: home.building,
      entrance: home.entrance,
      number: home.room,
    });
    return this.deps.store.listSwaps({ ...query, roomIds }, page);
  }

  /**
   * For DataLoaders: swaps of these schedules, newest first. No authorization here: reached only
   * through a schedule the caller was allowed to read.
   */
  swapsOfSchedules(scheduleIds: readonly string[]): Promise<StoredSwap[]> {
    return this.deps.store.swapsOfSchedules(scheduleIds);
  }

  /** For DataLoaders: the schedules a swap points at (authorization as swapsOfSchedules). */
  schedulesByIds(ids: readonly string[]): Promise<DutySchedule[]> {
    return this.deps.store.schedulesByIds(ids);
  }

  // ── helpers ──

  /** Entrances (besides campus-wide roles) the caller reads under READ_SCOPE. */
  private readableEntrances(caller: AuthContext): EntranceRef[] {
    const entrances: EntranceRef[] = [];
    if (hasRole(caller, ...(READ_SCOPE.assigned ?? []))) entrances.push(...caller.entrances);
    if (hasRole(caller, ...(READ_SCOPE.resident ?? [])) && caller.residence) {
      entrances.push({ building: caller.residence.building, entrance: caller.residence.entrance });
    }
    return entrances;
  }

  private step(caller: AuthContext, input: SwapDecisionInput): SwapStep {
    return { by: caller.userId, at: this.deps.clock.now(), reason: input.reason };
  }

  private async duties(fromId: string, toId: string): Promise<[DutySchedule | undefined, DutySchedule | undefined]> {
    const byId = new Map((await this.deps.store.schedulesByIds([fromId, toId])).map((s) => [s.id, s]));
    return [byId.get(fromId), byId.get(toId)];
  }

  private async load(swapId: string): Promise<SwapWithDuties> {
    const swap = await this.deps.store.findSwap(swapId);
    if (!swap) throw DutyErrors.error('SWAP_NOT_FOUND', 'No swap request has this id', { swapId });
    const [from, to] = await this.duties(swap.fromScheduleId, swap.toScheduleId);
    // Schedules are never deleted while a swap points at them; a missing one is a broken invariant.
    if (!from || !to) throw new Error(`swap ${swap.id} points at a missing schedule`);
    return { swap, from, to };
  }

  /** What each room already has on the date it would get. */
  private async clashes(from: DutySchedule, to: DutySchedule) {
    if (from.room.roomId === to.room.roomId) return { fromRoomOnToDate: null, toRoomOnFromDate: null };
    const [fromRoomOnToDate, toRoomOnFromDate] = await Promise.all([
      this.deps.store.scheduleOfRoomOn(from.room.roomId, to.dutyDate),
      this.deps.store.scheduleOfRoomOn(to.room.roomId, from.dutyDate),
    ]);
    return { fromRoomOnToDate, toRoomOnFromDate };
  }

  private async openSwapOf(...scheduleIds: string[]): Promise<StoredSwap | null> {
    const swaps = await this.deps.store.swapsOfSchedules(scheduleIds);
    return swaps.find((s) => s.status === 'requested' || s.status === 'accepted') ?? null;
  }

  private async write(
    next: StoredSwap,
    expectedVersion: number,
    step: SwapEventStep,
    from: DutySchedule,
    to: DutySchedule,
    caller: AuthContext,
    reason: string | null,
    previousStatus?: OpenSwapStatus,
  ): Promise<StoredSwap> {
    const event = await this.event(step, next, from, to, caller.userId, reason, previousStatus);
    if ((await this.deps.store.updateSwap(next, expectedVersion, [event])) === 'conflict') {
      throw this.conflictOn(next.id);
    }
    return { ...next, version: expectedVersion + 1 };
  }

  private conflictOn(swapId: string) {
    return conflict('The swap or one of its duties changed meanwhile; re-read and decide again', { swapId });
  }

  /**
   * The step's event, addressed to both rooms' current residents (identity knows them).
   * `previousStatus` only for a cancellation (the one contract that has it).
   */
  private async event(
    step: SwapEventStep,
    swap: DutySwap,
    from: DutySchedule,
    to: DutySchedule,
    actorId: string,
    reason: string | null,
    previousStatus?: OpenSwapStatus,
  ) {
    const residents = await this.deps.rooms.residentsOf([from.room, to.room]);
    const idsOf = (roomId: string) => [...new Set((residents.get(roomId) ?? []).map((r) => r.userId))];
    return swapEvent(
      step,
      {
        swapId: swap.id,
        status: swap.status,
        building: swap.building,
        entrance: swap.entrance,
        fromScheduleId: swap.fromScheduleId,
        toScheduleId: swap.toScheduleId,
        fromRoomId: swap.fromRoomId,
        toRoomId: swap.toRoomId,
        fromRoomNumber: from.room.number,
        toRoomNumber: to.room.number,
        fromDate: swap.fromDate,
        toDate: swap.toDate,
        actorId,
        reason,
        fromResidentIds: idsOf(from.room.roomId),
        toResidentIds: idsOf(to.room.roomId),
        ...(previousStatus ? { previousStatus } : {}),
      },
      this.deps.clock.now(),
    );
  }
}
