// Duty swaps (domain spec §6, issue 9): the rules of a swap and its steps, with a test clock and
// in-memory ports. Every refusal is checked for its code and for leaving nothing written.
import { randomUUID } from 'node:crypto';
import { pageOf, type CloudEvent, type PageRequest } from '@campus/platform';
import { authOf, residence, staff, student, TestClock, type TestUser } from '@campus/testkit';
import { dutyMoments } from '../../src/domain/duty-times';
import type { DutySchedule, DutySwap, DutyTimes, Resident, RoomRef, SwapStatus } from '../../src/domain/records';
import {
  acceptSwap,
  approveSwap,
  assertExchangeable,
  assertSwappable,
  cancelSwap,
  declineSwap,
  exchangeDates,
  rejectSwap,
  requestSwap,
  type SwapStep,
} from '../../src/domain/swaps';
import { swapDecisionSchema, swapFilterSchema, swapRequestSchema } from '../../src/schemas/swaps';
import type {
  RoomDirectory,
  ScheduleRedating,
  StoredSwap,
  SwapListQuery,
  SwapStore,
  SwapWriteOutcome,
} from '../../src/services/ports';
import { DutySwaps } from '../../src/services/swaps.service';
import { parseInput } from '@campus/platform';

const TZ = 'Europe/Moscow';
const TIMES: DutyTimes = {
  deadline: '23:00',
  eveningReminder: '18:00',
  morningReminder: '09:00',
  sanctionInvitation: '09:00',
};
/** 2026-03-10 12:00 in Moscow. */
const NOW = '2026-03-10T09:00:00.000Z';

const room = (number: string, building = '8', entrance = 1): RoomRef => ({
  roomId: randomUUID(),
  building,
  entrance,
  floor: Number(number[0]),
  number,
});

function duty(r: RoomRef, date: string, fields: Partial<DutySchedule> = {}): DutySchedule {
  return {
    id: randomUUID(),
    rosterId: 'roster',
    room: r,
    dutyDate: date,
    month: date.slice(0, 7),
    status: 'pending',
    ...dutyMoments(date, TIMES, TZ),
    eveningRemindedAt: null,
    morningRemindedAt: null,
    overdueAt: null,
    version: 1,
    createdAt: new Date('2026-02-20T00:00:00Z'),
    updatedAt: new Date('2026-02-20T00:00:00Z'),
    ...fields,
  };
}

const clockAt = (at: string) => ({ now: new Date(at), timeZone: TZ });
const noClash = { fromRoomOnToDate: null, toRoomOnFromDate: null };

/** The DUTY_/shared code a call fails with. */
function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
}

describe('swap rules', () => {
  const clock = clockAt(NOW);
  const a = room('301');
  const b = room('302');

  it('lets two pending future duties of one entrance, on different dates of one month, be exchanged', () => {
    expect(() => assertExchangeable(duty(a, '2026-03-12'), duty(b, '2026-03-20'), noClash, clock)).not.toThrow();
  });

  it('allows a duty of today until its deadline (23:00 campus time), not after', () => {
    const today = duty(a, '2026-03-10');
    expect(() => assertSwappable(today, clockAt('2026-03-10T19:59:59.000Z'))).not.toThrow();
    expect(codeOf(() => assertSwappable(today, clockAt('2026-03-10T20:00:00.000Z')))).toBe('DUTY_DATE_IN_PAST');
  });

  it('refuses a past date with DUTY_DATE_IN_PAST and the date', () => {
    const past = duty(a, '2026-03-09');
    expect(() => assertExchangeable(past, duty(b, '2026-03-20'), noClash, clock)).toThrow(
      expect.objectContaining({ code: 'DUTY_DATE_IN_PAST', details: expect.objectContaining({ date: '2026-03-09' }) }),
    );
    expect(codeOf(() => assertExchangeable(duty(b, '2026-03-20'), past, noClash, clock))).toBe('DUTY_DATE_IN_PAST');
  });

  it.each(['report_submitted', 'accepted', 'overdue'] as const)('refuses a %s duty with DUTY_DUTY_CLOSED', (status) => {
    expect(() => assertExchangeable(duty(a, '2026-03-12', { status }), duty(b, '2026-03-20'), noClash, clock)).toThrow(
      expect.objectContaining({ code: 'DUTY_DUTY_CLOSED', details: expect.objectContaining({ status }) }),
    );
  });

  it('refuses the same room (or the same duty) with DUTY_SWAP_SAME_ROOM', () => {
    const one = duty(a, '2026-03-12');
    expect(codeOf(() => assertExchangeable(one, duty(a, '2026-03-20'), noClash, clock))).toBe('DUTY_SWAP_SAME_ROOM');
    expect(codeOf(() => assertExchangeable(one, one, noClash, clock))).toBe('DUTY_SWAP_SAME_ROOM');
  });

  it('refuses another entrance or building with DUTY_SWAP_ACROSS_ENTRANCES naming both', () => {
    const other = duty(room('301', '8', 2), '2026-03-20');
    expect(() => assertExchangeable(duty(a, '2026-03-12'), other, noClash, clock)).toThrow(
      expect.objectContaining({
        code: 'DUTY_SWAP_ACROSS_ENTRANCES',
        details: { from: { building: '8', entrance: 1 }, to: { building: '8', entrance: 2 } },
      }),
    );
    const otherBuilding = duty(room('302', '9', 1), '2026-03-20');
    expect(codeOf(() => assertExchangeable(duty(a, '2026-03-12'), otherBuilding, noClash, clock))).toBe(
      'DUTY_SWAP_ACROSS_ENTRANCES',
    );
  });

  it('refuses the same date (DUTY_SWAP_SAME_DATE) and another month (DUTY_DATE_OUTSIDE_MONTH)', () => {
    expect(codeOf(() => assertExchangeable(duty(a, '2026-03-12'), duty(b, '2026-03-12'), noClash, clock))).toBe(
      'DUTY_SWAP_SAME_DATE',
    );
    expect(codeOf(() => assertExchangeable(duty(a, '2026-03-31'), duty(b, '2026-04-01'), noClash, clock))).toBe(
      'DUTY_DATE_OUTSIDE_MONTH',
    );
  });

  it('refuses a room already on duty on the date it would get with DUTY_DATE_TAKEN', () => {
    const clash = duty(a, '2026-03-20');
    expect(() =>
      assertExchangeable(duty(a, '2026-03-12'), duty(b, '2026-03-20'), { ...noClash, fromRoomOnToDate: clash }, clock),
    ).toThrow(
      expect.objectContaining({ code: 'DUTY_DATE_TAKEN', details: { scheduleId: clash.id, date: '2026-03-20' } }),
    );
    expect(
      codeOf(() =>
        assertExchangeable(
          duty(a, '2026-03-12'),
          duty(b, '2026-03-20'),
          { ...noClash, toRoomOnFromDate: clash },
          clock,
        ),
      ),
    ).toBe('DUTY_DATE_TAKEN');
  });
});

describe('swap transitions', () => {
  const step: SwapStep = { by: 'actor', at: new Date(NOW), reason: null };
  const base = requestSwap({
    id: 'swap',
    from: duty(room('301'), '2026-03-12'),
    to: duty(room('302'), '2026-03-20'),
    requestedBy: 'asker',
    reason: 'exam',
    at: new Date(NOW),
  });
  const inStatus = (status: SwapStatus): DutySwap => ({ ...base, status });
  const transitions = {
    accept: acceptSwap,
    decline: declineSwap,
    approve: approveSwap,
    reject: rejectSwap,
    cancel: cancelSwap,
  };
  const allowedFrom: Record<keyof typeof transitions, SwapStatus[]> = {
    accept: ['requested'],
    decline: ['requested'],
    approve: ['accepted'],
    reject: ['requested', 'accepted'],
    cancel: ['requested', 'accepted'],
  };
  const statuses: SwapStatus[] = ['requested', 'accepted', 'approved', 'declined', 'rejected', 'cancelled'];

  it('records the request: both duties, their dates as asked, who and when', () => {
    expect(base).toMatchObject({
      status: 'requested',
      fromDate: '2026-03-12',
      toDate: '2026-03-20',
      requestedBy: 'asker',
      reason: 'exam',
    });
  });

  for (const [name, transition] of Object.entries(transitions) as [keyof typeof transitions, typeof acceptSwap][]) {
    for (const status of statuses) {
      const allowed = allowedFrom[name].includes(status);
      it(`${name} from ${status}: ${allowed ? 'allowed' : 'DUTY_SWAP_NOT_OPEN'}`, () => {
        if (allowed) expect(() => transition(inStatus(status), step)).not.toThrow();
        else {
          expect(() => transition(inStatus(status), step)).toThrow(
            expect.objectContaining({ code: 'DUTY_SWAP_NOT_OPEN', details: { swapId: 'swap', status } }),
          );
        }
      });
    }
  }

  it('records who responded and who decided, and when; a step without a reason keeps the earlier one', () => {
    const at = new Date('2026-03-10T10:00:00Z');
    const accepted = acceptSwap(base, { by: 'other', at, reason: null });
    expect(accepted).toMatchObject({ status: 'accepted', respondedBy: 'other', respondedAt: at, reason: 'exam' });
    const approved = approveSwap(accepted, { by: 'educator', at, reason: 'ok' });
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: 'educator',
      decidedAt: at,
      reason: 'ok',
      respondedBy: 'other',
    });
  });
});

describe('exchanging the dates', () => {
  it('recomputes deadlines and reminders, bumps versions, and resets reminders still ahead', () => {
    const from = duty(room('301'), '2026-03-12', { version: 3 });
    const to = duty(room('302'), '2026-03-20', { version: 1 });
    const { from: f, to: t } = exchangeDates(from, to, TIMES, clockAt(NOW));
    expect(f).toMatchObject({
      id: from.id,
      dutyDate: '2026-03-20',
      deadlineAt: new Date('2026-03-20T20:00:00.000Z'),
      eveningReminderAt: new Date('2026-03-19T15:00:00.000Z'),
      morningReminderAt: new Date('2026-03-20T06:00:00.000Z'),
      eveningRemindedAt: null,
      morningRemindedAt: null,
      version: 4,
      updatedAt: new Date(NOW),
    });
    expect(t).toMatchObject({
      id: to.id,
      dutyDate: '2026-03-12',
      deadlineAt: new Date('2026-03-12T20:00:00.000Z'),
      version: 2,
    });
  });

  // 19:00 Moscow on the 10th: X (the 11th, "duty tomorrow" sent at 18:00) swaps with Y (today, both reminders sent).
  const at = clockAt('2026-03-10T16:00:00.000Z');
  const sentEvening = new Date('2026-03-10T15:00:00.000Z');
  const x = () => duty(room('301'), '2026-03-11', { eveningRemindedAt: sentEvening });
  const y = () =>
    duty(room('302'), '2026-03-10', {
      eveningRemindedAt: new Date('2026-03-09T15:00:00.000Z'),
      morningRemindedAt: new Date('2026-03-10T06:00:00.000Z'),
    });

  it('still says "duty tomorrow" late to the room whose new date is tomorrow, and "duty today" to the other', () => {
    const { from: toToday, to: toTomorrow } = exchangeDates(x(), y(), TIMES, at);
    // Y is on the 11th now: the "tomorrow" reminder (due 18:00 today) is unmarked, so the sweep sends it.
    expect(toTomorrow).toMatchObject({ dutyDate: '2026-03-11', eveningRemindedAt: null, morningRemindedAt: null });
    // X is on duty today: no "tomorrow" any more (its mark stays), "today" has not gone out (unmarked).
    expect(toToday).toMatchObject({ dutyDate: '2026-03-10', eveningRemindedAt: sentEvening, morningRemindedAt: null });
  });

  it('marks "duty tomorrow" as done for a duty moved onto today that never had one', () => {
    const fresh = duty(room('301'), '2026-03-25');
    const { from: onToday } = exchangeDates(fresh, y(), TIMES, at);
    expect(onToday).toMatchObject({ dutyDate: '2026-03-10', eveningRemindedAt: at.now, morningRemindedAt: null });
  });
});

describe('swap inputs', () => {
  it('maps GraphQL statuses to the domain, trims reasons, and names bad fields', () => {
    expect(parseInput(swapFilterSchema, { status: 'ACCEPTED', building: null })).toEqual({ status: 'accepted' });
    expect(parseInput(swapDecisionSchema, { swapId: randomUUID(), reason: '  ' }).reason).toBeNull();
    expect(() => parseInput(swapRequestSchema, { scheduleId: 'x', withScheduleId: randomUUID() })).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_ERROR',
        details: { fields: expect.objectContaining({ scheduleId: expect.any(String) }) },
      }),
    );
  });
});

// ── The service over in-memory ports ──────────────────────────────────────────────────────────

class MemorySwapStore implements SwapStore {
  readonly swaps = new Map<string, StoredSwap>();
  readonly schedules = new Map<string, DutySchedule>();
  readonly events: CloudEvent[] = [];
  /** Runs once before the next write (a competitor acting between read and write). */
  beforeWrite: (() => void) | undefined;

  add(...schedules: DutySchedule[]): void {
    for (const s of schedules) this.schedules.set(s.id, s);
  }

  private race(): void {
    const competitor = this.beforeWrite;
    this.beforeWrite = undefined;
    competitor?.();
  }

  async findSwap(id: string) {
    return this.swaps.get(id) ?? null;
  }
  async swapsOfSchedules(ids: readonly string[]) {
    return [...this.swaps.values()]
      .filter((s) => ids.includes(s.fromScheduleId) || ids.includes(s.toScheduleId))
      .sort((x, y) => y.requestedAt.getTime() - x.requestedAt.getTime());
  }
  async listSwaps(query: SwapListQuery, page: PageRequest) {
    const all = [...this.swaps.values()]
      .filter(
        (s) =>
          (query.status === undefined || s.status === query.status) &&
          (query.building === undefined || s.building === query.building) &&
          (query.entrance === undefined || s.entrance === query.entrance) &&
          (!query.entrances || query.entrances.some((e) => e.building === s.building && e.entrance === s.entrance)) &&
          (!query.roomIds || query.roomIds.includes(s.fromRoomId) || query.roomIds.includes(s.toRoomId)),
      )
      .sort((x, y) => y.requestedAt.getTime() - x.requestedAt.getTime());
    return pageOf(all.slice(page.skip, page.skip + page.take), all.length, page);
  }
  async schedulesByIds(ids: readonly string[]) {
    return ids.flatMap((id) => (this.schedules.has(id) ? [this.schedules.get(id)!] : []));
  }
  async scheduleOfRoomOn(roomId: string, date: string) {
    return [...this.schedules.values()].find((s) => s.room.roomId === roomId && s.dutyDate === date) ?? null;
  }
  async roomIdsOf(r: Pick<RoomRef, 'building' | 'entrance' | 'number'>) {
    return [
      ...new Set(
        [...this.schedules.values()]
          .filter((s) => s.room.building === r.building && s.room.entrance === r.entrance && s.room.number === r.number)
          .map((s) => s.room.roomId),
      ),
    ];
  }
  async insertSwap(swap: DutySwap, events: readonly CloudEvent[]) {
    this.race();
    const ids = [swap.fromScheduleId, swap.toScheduleId];
    const open = [...this.swaps.values()].find(
      (s) =>
        ['requested', 'accepted'].includes(s.status) &&
        (ids.includes(s.fromScheduleId) || ids.includes(s.toScheduleId)),
    );
    if (open) return { openSwapId: open.id };
    this.swaps.set(swap.id, { ...swap, version: 1 });
    this.events.push(...events);
    return null;
  }
  async updateSwap(swap: DutySwap, expectedVersion: number, events: readonly CloudEvent[]): Promise<SwapWriteOutcome> {
    this.race();
    if (this.swaps.get(swap.id)?.version !== expectedVersion) return 'conflict';
    this.swaps.set(swap.id, { ...swap, version: expectedVersion + 1 });
    this.events.push(...events);
    return 'ok';
  }
  async approveSwap(
    swap: DutySwap,
    expectedVersion: number,
    redatings: readonly ScheduleRedating[],
    events: readonly CloudEvent[],
  ): Promise<SwapWriteOutcome | 'date_taken'> {
    this.race();
    if (this.swaps.get(swap.id)?.version !== expectedVersion) return 'conflict';
    for (const { schedule, expectedVersion: v } of redatings) {
      const current = this.schedules.get(schedule.id);
      if (current?.version !== v || current.status !== 'pending') return 'conflict';
    }
    const ids = redatings.map((r) => r.schedule.id);
    const others = [...this.schedules.values()].filter((s) => !ids.includes(s.id));
    if (
      redatings.some(({ schedule }) =>
        others.some((o) => o.room.roomId === schedule.room.roomId && o.dutyDate === schedule.dutyDate),
      )
    ) {
      return 'date_taken';
    }
    for (const { schedule } of redatings) this.schedules.set(schedule.id, { ...schedule });
    this.swaps.set(swap.id, { ...swap, version: expectedVersion + 1 });
    this.events.push(...events);
    return 'ok';
  }
}

function directoryOf(residents: Map<string, Resident[]>): RoomDirectory {
  return {
    occupiedRooms: async () => [],
    residentsOf: async (rooms) => new Map(rooms.map((r) => [r.roomId, residents.get(r.roomId) ?? []])),
    roomsOf: async () => new Map(),
  };
}

describe('DutySwaps', () => {
  let clock: TestClock;
  let store: MemorySwapStore;
  let swaps: DutySwaps;
  let roomA: RoomRef;
  let roomB: RoomRef;
  let dutyA: DutySchedule;
  let dutyB: DutySchedule;
  let residentA: TestUser;
  let residentB: TestUser;
  const educator = staff('educator');
  const head = (b: string, e: number) =>
    student({ roles: ['student', 'student_head'], residence: residence(b, e, '501') });

  const asker = () => authOf(residentA);
  const other = () => authOf(residentB);

  beforeEach(() => {
    clock = new TestClock(NOW);
    store = new MemorySwapStore();
    roomA = room('301');
    roomB = room('302');
    dutyA = duty(roomA, '2026-03-12');
    dutyB = duty(roomB, '2026-03-20', { version: 2 });
    store.add(dutyA, dutyB);
    residentA = student({ residence: residence('8', 1, '301') });
    residentB = student({ residence: residence('8', 1, '302') });
    const residents = new Map<string, Resident[]>([
      [roomA.roomId, [{ userId: residentA.id, roomId: roomA.roomId, fullName: 'A' }]],
      [
        roomB.roomId,
        [
          { userId: residentB.id, roomId: roomB.roomId, fullName: 'B' },
          { userId: 'b2', roomId: roomB.roomId, fullName: 'B2' },
        ],
      ],
    ]);
    swaps = new DutySwaps({ store, rooms: directoryOf(residents), clock, times: TIMES, timeZone: TZ });
  });

  const ask = (auth = asker(), from = dutyA.id, to = dutyB.id) =>
    swaps.request(auth, { scheduleId: from, withScheduleId: to, reason: 'exam' });

  it('goes request → accept → approve: the dates are exchanged, every step recorded and published', async () => {
    const asked = await ask();
    expect(asked).toMatchObject({
      status: 'requested',
      requestedBy: residentA.id,
      requestedAt: new Date(NOW),
      version: 1,
    });
    clock.advance(60_000);
    const accepted = await swaps.accept(other(), { swapId: asked.id, reason: null });
    expect(accepted).toMatchObject({
      status: 'accepted',
      respondedBy: residentB.id,
      respondedAt: clock.now(),
      version: 2,
    });
    clock.advance(60_000);
    const approved = await swaps.approve(authOf(educator), { swapId: asked.id, reason: 'fine' });
    expect(approved).toMatchObject({
      status: 'approved',
      decidedBy: educator.id,
      decidedAt: clock.now(),
      reason: 'fine',
      version: 3,
    });

    expect(store.schedules.get(dutyA.id)).toMatchObject({
      dutyDate: '2026-03-20',
      deadlineAt: new Date('2026-03-20T20:00:00.000Z'),
      version: 2,
    });
    expect(store.schedules.get(dutyB.id)).toMatchObject({
      dutyDate: '2026-03-12',
      deadlineAt: new Date('2026-03-12T20:00:00.000Z'),
      morningReminderAt: new Date('2026-03-12T06:00:00.000Z'),
      version: 3,
    });
    expect(store.events.map((e) => e.type)).toEqual([
      'campus.duty.swap.requested.v1',
      'campus.duty.swap.accepted.v1',
      'campus.duty.swap.approved.v1',
    ]);
    expect(store.events[2]!.data).toEqual({
      swapId: asked.id,
      status: 'approved',
      building: '8',
      entrance: 1,
      fromScheduleId: dutyA.id,
      toScheduleId: dutyB.id,
      fromRoomId: roomA.roomId,
      toRoomId: roomB.roomId,
      fromRoomNumber: '301',
      toRoomNumber: '302',
      fromDate: '2026-03-12',
      toDate: '2026-03-20',
      actorId: educator.id,
      reason: 'fine',
      fromResidentIds: [residentA.id],
      toResidentIds: [residentB.id, 'b2'],
    });
  });

  it('a cancellation says what was withdrawn: a request, or an accepted swap waiting for a reviewer', async () => {
    const asked = await ask();
    await swaps.cancel(asker(), { swapId: asked.id, reason: null });
    const again = await ask();
    await swaps.accept(other(), { swapId: again.id, reason: null });
    await swaps.cancel(asker(), { swapId: again.id, reason: 'plans changed' });

    const cancellations = store.events.filter((e) => e.type === 'campus.duty.swap.cancelled.v1');
    expect(cancellations.map((e) => e.data)).toEqual([
      expect.objectContaining({ swapId: asked.id, status: 'cancelled', previousStatus: 'requested' }),
      expect.objectContaining({ swapId: again.id, status: 'cancelled', previousStatus: 'accepted' }),
    ]);
    // Only the cancellation's contract has the field (the integration test validates them all).
    const others = store.events.filter((e) => e.type !== 'campus.duty.swap.cancelled.v1');
    expect(others.map((e) => e.type)).toEqual([
      'campus.duty.swap.requested.v1',
      'campus.duty.swap.requested.v1',
      'campus.duty.swap.accepted.v1',
    ]);
    for (const event of others) expect(event.data).not.toHaveProperty('previousStatus');
  });

  it('lets the entrance’s student_head and an assigned educator_head approve; others of other entrances not', async () => {
    const first = await ask();
    await swaps.accept(other(), { swapId: first.id, reason: null });
    await expect(swaps.approve(authOf(head('8', 2)), { swapId: first.id, reason: null })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { rule: 'swap_review', swapId: first.id },
    });
    const assigned = staff('educator_head', { entrances: [{ building: '8', entrance: 2 }] });
    await expect(swaps.approve(authOf(assigned), { swapId: first.id, reason: null })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(swaps.approve(authOf(head('8', 1)), { swapId: first.id, reason: null })).resolves.toMatchObject({
      status: 'approved',
    });
  });

  it('refuses a student_head living in either room of the swap (own_room_swap); an educator decides it', async () => {
    const headIn = (number: string) =>
      authOf(student({ roles: ['student', 'student_head'], residence: residence('8', 1, number) }));
    const asked = await ask();
    await swaps.accept(other(), { swapId: asked.id, reason: null });
    const ref = { swapId: asked.id, reason: null };
    for (const auth of [headIn('301'), headIn('302')]) {
      for (const decide of [swaps.approve, swaps.reject]) {
        await expect(decide.call(swaps, auth, ref)).rejects.toMatchObject({
          code: 'FORBIDDEN',
          details: { rule: 'own_room_swap', swapId: asked.id },
        });
      }
    }
    // nothing changed: still accepted, the dates as they were, no step published
    expect(store.swaps.get(asked.id)).toMatchObject({ status: 'accepted', version: 2, decidedBy: null });
    expect(store.schedules.get(dutyA.id)).toMatchObject({ dutyDate: '2026-03-12', version: 1 });
    expect(store.events).toHaveLength(2);

    // a head of the entrance living elsewhere (room 501) rejects, an educator approves another swap
    await expect(swaps.reject(authOf(head('8', 1)), ref)).resolves.toMatchObject({ status: 'rejected' });
    const again = await ask();
    await swaps.accept(other(), { swapId: again.id, reason: null });
    await expect(swaps.approve(authOf(educator), { swapId: again.id, reason: null })).resolves.toMatchObject({
      status: 'approved',
      decidedBy: educator.id,
    });
  });

  it('lets an educator reject a swap still waiting for the other room', async () => {
    const asked = await ask();
    await expect(swaps.reject(authOf(educator), { swapId: asked.id, reason: 'no' })).resolves.toMatchObject({
      status: 'rejected',
      decidedBy: educator.id,
    });
  });

  it('refuses the wrong person at every step with FORBIDDEN and writes nothing', async () => {
    const stranger = authOf(student({ residence: residence('8', 1, '303') }));
    await expect(ask(other())).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { rule: 'room_resident', scheduleId: dutyA.id, withScheduleId: dutyB.id },
    });
    await expect(ask(authOf(educator))).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(store.swaps.size).toBe(0);

    const asked = await ask();
    const ref = { swapId: asked.id, reason: null };
    for (const auth of [asker(), stranger, authOf(educator)]) {
      await expect(swaps.accept(auth, ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await expect(swaps.decline(auth, ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    for (const auth of [other(), stranger, authOf(educator)]) {
      await expect(swaps.cancel(auth, ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await swaps.accept(other(), ref);
    for (const auth of [asker(), other(), stranger, authOf(staff('admin'))]) {
      await expect(swaps.approve(auth, ref)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        details: { rule: 'swap_review' },
      });
      await expect(swaps.reject(auth, ref)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    }
    await expect(swaps.accept(null, ref)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(store.swaps.get(asked.id)).toMatchObject({ status: 'accepted', version: 2 });
    expect(store.events).toHaveLength(2);
  });

  it('refuses unknown duties and swaps with NOT_FOUND codes', async () => {
    await expect(ask(asker(), randomUUID())).rejects.toMatchObject({ code: 'DUTY_NOT_FOUND' });
    await expect(ask(asker(), dutyA.id, randomUUID())).rejects.toMatchObject({ code: 'DUTY_NOT_FOUND' });
    await expect(swaps.accept(other(), { swapId: randomUUID(), reason: null })).rejects.toMatchObject({
      code: 'DUTY_SWAP_NOT_FOUND',
    });
  });

  it('refuses a swap across entrances with the code and writes nothing', async () => {
    const far = duty(room('302', '8', 2), '2026-03-20');
    store.add(far);
    await expect(ask(asker(), dutyA.id, far.id)).rejects.toMatchObject({
      code: 'DUTY_SWAP_ACROSS_ENTRANCES',
      details: { from: { building: '8', entrance: 1 }, to: { building: '8', entrance: 2 } },
    });
    expect(store.swaps.size).toBe(0);
    expect(store.events).toHaveLength(0);
  });

  it('refuses a past duty, and a second open swap on either duty (DUTY_SWAP_PENDING with its id)', async () => {
    const past = duty(roomA, '2026-03-09');
    store.add(past);
    await expect(ask(asker(), past.id)).rejects.toMatchObject({ code: 'DUTY_DATE_IN_PAST' });

    const first = await ask();
    await expect(ask()).rejects.toMatchObject({ code: 'DUTY_SWAP_PENDING', details: { swapId: first.id } });
    const third = duty(room('303'), '2026-03-25');
    store.add(third);
    await expect(ask(other(), dutyB.id, third.id)).rejects.toMatchObject({
      code: 'DUTY_SWAP_PENDING',
      details: { swapId: first.id },
    });
    // Once closed, the duties may be swapped again.
    await swaps.cancel(asker(), { swapId: first.id, reason: 'changed my mind' });
    await expect(ask()).resolves.toMatchObject({ status: 'requested' });
    expect([...store.swaps.values()].map((s) => s.status).sort()).toEqual(['cancelled', 'requested']);
  });

  it('refuses a request that loses the race to another request on the same duty', async () => {
    const rival = requestSwap({
      id: randomUUID(),
      from: dutyA,
      to: dutyB,
      requestedBy: residentA.id,
      reason: null,
      at: clock.now(),
    });
    store.beforeWrite = () => store.swaps.set(rival.id, { ...rival, version: 1 });
    await expect(ask()).rejects.toMatchObject({ code: 'DUTY_SWAP_PENDING', details: { swapId: rival.id } });
    expect(store.swaps.size).toBe(1);
  });

  it('refuses the approval once a duty has passed, is reported, or was moved — and changes nothing', async () => {
    const asked = await ask();
    await swaps.accept(other(), { swapId: asked.id, reason: null });
    const snapshot = () => ({
      a: store.schedules.get(dutyA.id),
      b: store.schedules.get(dutyB.id),
      swap: store.swaps.get(asked.id),
    });
    const before = structuredClone(snapshot());

    clock.set('2026-03-12T20:00:00.000Z'); // 23:00 Moscow on the asking duty's date
    await expect(swaps.approve(authOf(educator), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'DUTY_DATE_IN_PAST',
      details: { scheduleId: dutyA.id, date: '2026-03-12' },
    });
    clock.set(NOW);
    store.schedules.set(dutyB.id, { ...dutyB, status: 'report_submitted' });
    await expect(swaps.approve(authOf(educator), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'DUTY_DUTY_CLOSED',
    });
    store.schedules.set(dutyB.id, { ...dutyB, dutyDate: '2026-03-21', version: 3 });
    await expect(swaps.approve(authOf(educator), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'DUTY_SWAP_OUTDATED',
      details: { scheduleId: dutyB.id, askedDate: '2026-03-20', currentDate: '2026-03-21' },
    });
    store.schedules.set(dutyB.id, before.b!);
    expect(snapshot()).toEqual(before);
    expect(store.events).toHaveLength(2);
  });

  it('refuses an approval that would give a room two duties on one day with DUTY_DATE_TAKEN', async () => {
    const asked = await ask();
    await swaps.accept(other(), { swapId: asked.id, reason: null });
    const second = duty(roomA, '2026-03-20'); // put there after the request (e.g. by moveDuty)
    store.add(second);
    await expect(swaps.approve(authOf(educator), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'DUTY_DATE_TAKEN',
      details: { scheduleId: second.id, date: '2026-03-20' },
    });
    expect(store.schedules.get(dutyA.id)!.dutyDate).toBe('2026-03-12');
  });

  it('answers CONFLICT when the swap or a duty changed between reading and writing', async () => {
    const asked = await ask();
    await swaps.accept(other(), { swapId: asked.id, reason: null });
    store.beforeWrite = () => store.schedules.set(dutyB.id, { ...dutyB, version: 9 });
    await expect(swaps.approve(authOf(educator), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
    expect(store.swaps.get(asked.id)!.status).toBe('accepted');
    store.beforeWrite = () =>
      store.swaps.set(asked.id, { ...store.swaps.get(asked.id)!, status: 'cancelled', version: 3 });
    await expect(swaps.reject(authOf(educator), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'CONFLICT',
    });
  });

  it('allows each step only from its states (DUTY_SWAP_NOT_OPEN with the status)', async () => {
    const asked = await ask();
    const ref = { swapId: asked.id, reason: null };
    await expect(swaps.approve(authOf(educator), ref)).rejects.toMatchObject({
      code: 'DUTY_SWAP_NOT_OPEN',
      details: { swapId: asked.id, status: 'requested' },
    });
    await swaps.decline(other(), { swapId: asked.id, reason: 'busy' });
    for (const attempt of [
      () => swaps.accept(other(), ref),
      () => swaps.cancel(asker(), ref),
      () => swaps.reject(authOf(educator), ref),
    ]) {
      await expect(attempt()).rejects.toMatchObject({ code: 'DUTY_SWAP_NOT_OPEN', details: { status: 'declined' } });
    }
    expect(store.swaps.get(asked.id)).toMatchObject({ status: 'declined', respondedBy: residentB.id, reason: 'busy' });
    expect(store.events.map((e) => e.type)).toEqual(['campus.duty.swap.requested.v1', 'campus.duty.swap.declined.v1']);
  });

  it('refuses accepting a swap whose duty has passed meanwhile', async () => {
    const asked = await ask();
    clock.set('2026-03-13T09:00:00.000Z');
    await expect(swaps.accept(other(), { swapId: asked.id, reason: null })).rejects.toMatchObject({
      code: 'DUTY_DATE_IN_PAST',
    });
    expect(store.swaps.get(asked.id)!.status).toBe('requested');
  });

  describe('listing', () => {
    const page: PageRequest = { page: 1, size: 20, skip: 0, take: 20 };
    let otherEntranceSwap: StoredSwap;

    beforeEach(async () => {
      await ask();
      clock.advance(1000);
      const c = duty(room('303'), '2026-03-25');
      const d = duty(room('304'), '2026-03-26');
      store.add(c, d);
      await swaps.request(authOf(student({ residence: residence('8', 1, '303') })), {
        scheduleId: c.id,
        withScheduleId: d.id,
        reason: null,
      });
      clock.advance(1000);
      const e = duty(room('301', '8', 2), '2026-03-25');
      const f = duty(room('302', '8', 2), '2026-03-26');
      store.add(e, f);
      otherEntranceSwap = await swaps.request(authOf(student({ residence: residence('8', 2, '301') })), {
        scheduleId: e.id,
        withScheduleId: f.id,
        reason: null,
      });
    });

    const ids = (p: { items: StoredSwap[] }) => p.items.map((s) => `${s.entrance}:${s.fromDate}`);

    it('shows an educator every swap, newest first, and filters by entrance and status', async () => {
      expect(ids(await swaps.list(authOf(educator), {}, page))).toEqual([
        '2:2026-03-25',
        '1:2026-03-25',
        '1:2026-03-12',
      ]);
      expect(ids(await swaps.list(authOf(educator), { building: '8', entrance: 1 }, page))).toEqual([
        '1:2026-03-25',
        '1:2026-03-12',
      ]);
      expect((await swaps.list(authOf(educator), { status: 'approved' }, page)).total).toBe(0);
    });

    it('shows a student_head their entrance and an educator_head the assigned ones', async () => {
      expect(ids(await swaps.list(authOf(head('8', 2)), {}, page))).toEqual(['2:2026-03-25']);
      const assigned = staff('educator_head', { entrances: [{ building: '8', entrance: 1 }] });
      expect((await swaps.list(authOf(assigned), {}, page)).total).toBe(2);
      await expect(swaps.list(authOf(assigned), { building: '8', entrance: 2 }, page)).rejects.toMatchObject({
        code: 'FORBIDDEN',
        details: { rule: 'swap_read', building: '8', entrance: 2 },
      });
    });

    it("shows a student only their room's swaps, asked by or of it", async () => {
      expect(ids(await swaps.list(asker(), {}, page))).toEqual(['1:2026-03-12']);
      expect(ids(await swaps.list(other(), { building: '8', entrance: 1 }, page))).toEqual(['1:2026-03-12']);
      await expect(swaps.list(asker(), { building: '8', entrance: 2 }, page)).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      expect(otherEntranceSwap.entrance).toBe(2);
    });

    it('lists a duty’s swaps newest first, closed ones included (the history)', async () => {
      await swaps.cancel(asker(), { swapId: (await swaps.list(asker(), {}, page)).items[0]!.id, reason: null });
      clock.advance(1000);
      const again = await ask();
      const history = await swaps.swapsOfSchedules([dutyA.id]);
      expect(history.map((s) => [s.id === again.id, s.status])).toEqual([
        [true, 'requested'],
        [false, 'cancelled'],
      ]);
    });
  });
});
