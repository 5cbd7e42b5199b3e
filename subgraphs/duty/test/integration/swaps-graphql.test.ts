// Duty swaps through GraphQL on the in-process service (real PostgreSQL and RabbitMQ): the
// mutations and their codes, DutySwap's fields (statuses UPPER-case, from/to duties, users), the
// dutySwaps list by who asks, DutySchedule.swaps, and the events reaching the exchange.
import { randomUUID } from 'node:crypto';
import { validateEvent } from '@campus/contracts';
import { errorCodes, EventObserver, staff, testUser, type GraphQLResponse, type TestUser } from '@campus/testkit';
import { dutyMoments } from '../../src/domain/duty-times';
import type { RoomRef } from '../../src/domain/records';
import { toDateColumn } from '../../src/repository/schedule.mapper';
import { startDutyHarness, type DutyHarness } from '../support/harness';

// 2026-03-10 12:00 in Moscow.
const NOW = '2026-03-10T09:00:00.000Z';

const SWAP = `id status fromDate toDate requestedAt respondedAt decidedAt reason
  requestedBy { id } respondedBy { id } decidedBy { id }
  from { id date roomNumber version deadlineAt } to { id date roomNumber version deadlineAt }`;
const REQUEST = `mutation($input: RequestDutySwapInput!) { requestDutySwap(input: $input) { ${SWAP} } }`;
const step = (name: string) => `mutation($input: DutySwapDecisionInput!) { ${name}(input: $input) { ${SWAP} } }`;
const LIST = `query($filter: DutySwapFilter, $page: Int, $size: Int) {
  dutySwaps(filter: $filter, page: $page, size: $size) { total page size pages items { id status from { roomNumber } } }
}`;
const SCHEDULE_SWAPS = `query($id: ID!) { dutySchedule(id: $id) { id swaps { id status } } }`;

interface Duty {
  id: string;
  date: string;
  roomNumber: string;
  version: number;
  deadlineAt: string;
}
interface Swap {
  id: string;
  status: string;
  fromDate: string;
  toDate: string;
  reason: string | null;
  requestedBy: { id: string };
  respondedBy: { id: string } | null;
  decidedBy: { id: string } | null;
  from: Duty;
  to: Duty;
}

let h: DutyHarness;
let observer: EventObserver;
const educator = staff('educator');
let rooms: RoomRef[];
let residents: TestUser[];
let otherEntrance: RoomRef;
let otherResident: TestUser;
let head2: TestUser;

const detailsOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.details as Record<string, unknown>;

async function dutyOf(room: RoomRef, date: string): Promise<string> {
  const db = h.duty.internals.db;
  const month = date.slice(0, 7);
  const roster =
    (await db.roster.findFirst({ where: { building: room.building, entrance: room.entrance, month } })) ??
    (await db.roster.create({
      data: {
        id: randomUUID(),
        building: room.building,
        entrance: room.entrance,
        month,
        generatedBy: educator.id,
        generatedAt: new Date(NOW),
      },
    }));
  const id = randomUUID();
  await db.dutySchedule.create({
    data: {
      id,
      rosterId: roster.id,
      roomId: room.roomId,
      building: room.building,
      entrance: room.entrance,
      floor: room.floor,
      roomNumber: room.number,
      dutyDate: toDateColumn(date),
      month,
      ...dutyMoments(date, h.config.times, h.config.campusTimeZone),
    },
  });
  return id;
}

const request = (user: TestUser, scheduleId: string, withScheduleId: string, reason?: string) =>
  h.gql<{ requestDutySwap: Swap }>(user, REQUEST, { input: { scheduleId, withScheduleId, reason } });
const act = (name: string, user: TestUser | null, swapId: string, reason?: string) =>
  h.gql<Record<string, Swap>>(user, step(name), { input: { swapId, reason } });

beforeAll(async () => {
  h = await startDutyHarness(NOW);
  observer = await new EventObserver(h.exchange).start();
  rooms = h.campus.addRooms('8', 1, 301, 3);
  residents = rooms.map((r) => h.campus.moveIn(r));
  h.campus.moveIn(rooms[1]!); // a second resident of 302
  otherEntrance = h.campus.addRoom('8', 2, '401');
  otherResident = h.campus.moveIn(otherEntrance);
  head2 = h.campus.moveIn(h.campus.addRoom('8', 2, '402'), testUser({ roles: ['student', 'student_head'] }));
});

afterAll(async () => {
  await observer?.stop();
  await h?.stop();
});

describe('duty swaps over GraphQL', () => {
  it('request → accept → approve: the duties exchange dates, the swap shows every step, events are published', async () => {
    const a = await dutyOf(rooms[0]!, '2026-03-12');
    const b = await dutyOf(rooms[1]!, '2026-03-20');
    const [r301, r302] = residents as [TestUser, TestUser];

    const asked = await request(r301, a, b, 'exam');
    expect(asked.errors).toBeUndefined();
    const swap = asked.data!.requestDutySwap;
    expect(swap).toMatchObject({
      status: 'REQUESTED',
      fromDate: '2026-03-12',
      toDate: '2026-03-20',
      reason: 'exam',
      requestedBy: { id: r301.id },
      respondedBy: null,
      decidedBy: null,
      from: { id: a, date: '2026-03-12', roomNumber: '301' },
      to: { id: b, date: '2026-03-20', roomNumber: '302' },
    });

    const accepted = await act('acceptDutySwap', r302, swap.id);
    expect(accepted.data?.acceptDutySwap).toMatchObject({ status: 'ACCEPTED', respondedBy: { id: r302.id } });

    const approved = await act('approveDutySwap', educator, swap.id, 'ok');
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveDutySwap).toMatchObject({
      status: 'APPROVED',
      decidedBy: { id: educator.id },
      reason: 'ok',
      fromDate: '2026-03-12',
      toDate: '2026-03-20',
      // the duties as they are now: dates exchanged, deadlines recomputed, versions bumped
      from: { id: a, date: '2026-03-20', version: 2, deadlineAt: '2026-03-20T20:00:00.000Z' },
      to: { id: b, date: '2026-03-12', version: 2, deadlineAt: '2026-03-12T20:00:00.000Z' },
    });

    const history = await h.gql<{ dutySchedule: { swaps: { id: string; status: string }[] } }>(r301, SCHEDULE_SWAPS, {
      id: a,
    });
    expect(history.data?.dutySchedule.swaps).toEqual([{ id: swap.id, status: 'APPROVED' }]);

    await observer.waitFor((m) => m.filter((e) => e.body.subject === swap.id).length === 3);
    const events = observer.about(swap.id).map((m) => m.body);
    expect(events.map((e) => e.type)).toEqual([
      'campus.duty.swap.requested.v1',
      'campus.duty.swap.accepted.v1',
      'campus.duty.swap.approved.v1',
    ]);
    expect(events[2]!.data).toMatchObject({
      status: 'approved',
      actorId: educator.id,
      fromResidentIds: [r301.id],
      toResidentIds: expect.arrayContaining([r302.id]),
    });
    expect((events[2]!.data as { toResidentIds: string[] }).toResidentIds).toHaveLength(2);
  });

  it('refuses across entrances, onto the past, twice, and the wrong person — with codes, writing nothing', async () => {
    const a = await dutyOf(rooms[0]!, '2026-03-13');
    const c = await dutyOf(rooms[2]!, '2026-03-21');
    const far = await dutyOf(otherEntrance, '2026-03-22');
    const past = await dutyOf(rooms[2]!, '2026-03-05');
    const before = await h.duty.internals.db.dutySwap.count();

    const across = await request(residents[0]!, a, far);
    expect(errorCodes(across)).toEqual(['DUTY_SWAP_ACROSS_ENTRANCES']);
    expect(detailsOf(across)).toEqual({ from: { building: '8', entrance: 1 }, to: { building: '8', entrance: 2 } });
    expect(errorCodes(await request(residents[0]!, a, past))).toEqual(['DUTY_DATE_IN_PAST']);
    expect(errorCodes(await request(otherResident, a, c))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await request(residents[0]!, a, 'not-a-uuid'))).toEqual(['VALIDATION_ERROR']);
    expect(await h.duty.internals.db.dutySwap.count()).toBe(before);

    const swap = (await request(residents[0]!, a, c)).data!.requestDutySwap;
    const twice = await request(residents[2]!, c, a);
    expect(errorCodes(twice)).toEqual(['DUTY_SWAP_PENDING']);
    expect(detailsOf(twice)).toEqual({ swapId: swap.id });

    expect(errorCodes(await act('acceptDutySwap', residents[0]!, swap.id))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await act('declineDutySwap', otherResident, swap.id))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await act('cancelDutySwap', residents[2]!, swap.id))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await act('approveDutySwap', head2, swap.id))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await act('rejectDutySwap', residents[2]!, swap.id))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await act('acceptDutySwap', null, swap.id))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await act('approveDutySwap', educator, swap.id))).toEqual(['DUTY_SWAP_NOT_OPEN']);
    expect(errorCodes(await act('acceptDutySwap', residents[2]!, randomUUID()))).toEqual(['DUTY_SWAP_NOT_FOUND']);

    const declined = await act('declineDutySwap', residents[2]!, swap.id, 'busy that day');
    expect(declined.data?.declineDutySwap).toMatchObject({ status: 'DECLINED', reason: 'busy that day' });
  });

  it('lists swaps newest first: staff and heads by entrance, a student only their room, paginated', async () => {
    const d = await dutyOf(otherEntrance, '2026-03-24');
    const e = await dutyOf(h.campus.roomOf(head2.id)!, '2026-03-25');
    h.clock.advance(60_000);
    await request(otherResident, d, e);

    const all = await h.gql<{ dutySwaps: { total: number; items: { status: string }[] } }>(educator, LIST, {
      filter: { building: '8', entrance: 1 },
      size: 1,
    });
    expect(all.data?.dutySwaps).toMatchObject({ total: 2, page: 1, size: 1, pages: 2 });
    const declined = await h.gql<{ dutySwaps: { items: { status: string }[] } }>(educator, LIST, {
      filter: { status: 'DECLINED' },
    });
    expect(declined.data?.dutySwaps.items.map((s) => s.status)).toEqual(['DECLINED']);

    const ofHead = await h.gql<{ dutySwaps: { total: number; items: { from: { roomNumber: string } }[] } }>(
      head2,
      LIST,
    );
    expect(ofHead.data?.dutySwaps.items.map((s) => s.from.roomNumber)).toEqual(['401']);
    expect(errorCodes(await h.gql(head2, LIST, { filter: { building: '8', entrance: 1 } }))).toEqual(['FORBIDDEN']);

    const mine = await h.gql<{ dutySwaps: { total: number } }>(residents[1]!, LIST);
    expect(mine.data?.dutySwaps.total).toBe(1); // 302 took part only in the first swap
    expect(errorCodes(await h.gql(educator, LIST, { size: 101 }))).toEqual(['VALIDATION_ERROR']);
  });

  it("shows the other room's duty of a swap by date, room and status only: its reports and swaps stay with its room", async () => {
    const [r301, r302, r303] = residents as [TestUser, TestUser, TestUser];
    const theirs = await dutyOf(rooms[1]!, '2026-03-27');
    const third = await dutyOf(rooms[2]!, '2026-03-28');
    const own = await dutyOf(rooms[0]!, '2026-03-29');
    const earlier = (await request(r302, theirs, third, 'a private matter')).data!.requestDutySwap;
    expect((await act('declineDutySwap', r303, earlier.id)).errors).toBeUndefined();
    await h.duty.internals.db.dutyReport.create({
      data: { id: randomUUID(), scheduleId: theirs, status: 'rejected', rejectionReason: 'the stove was dirty' },
    });
    h.clock.advance(60_000);
    const mine = (await request(r301, own, theirs)).data!.requestDutySwap;

    type Seen = {
      dutySchedule: { swaps: { id: string; to: Record<string, unknown> & { swaps: { id: string }[] } }[] };
    };
    const QUERY = `query($id: ID!) { dutySchedule(id: $id) { swaps { id to {
      roomNumber date status report { id } reports { rejectionReason } swaps { id reason } } } } }`;
    const seen = await h.gql<Seen>(r301, QUERY, { id: own });
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.dutySchedule.swaps).toEqual([
      {
        id: mine.id,
        to: { roomNumber: '302', date: '2026-03-27', status: 'PENDING', report: null, reports: [], swaps: [] },
      },
    ]);

    const byStaff = await h.gql<Seen>(educator, QUERY, { id: own });
    expect(byStaff.data!.dutySchedule.swaps[0]!.to).toMatchObject({
      report: { id: expect.any(String) },
      reports: [{ rejectionReason: 'the stove was dirty' }],
      swaps: [{ id: mine.id }, { id: earlier.id, reason: 'a private matter' }],
    });
  });

  it("lets the entrance's student_head decide other rooms' swaps, not their own room's (own_room_swap)", async () => {
    // entrance 8/3: the head lives in 501; 501↔502 is their own room's swap, 503↔504 is not
    const [r501, r502, r503, r504] = h.campus.addRooms('8', 3, 501, 4) as [RoomRef, RoomRef, RoomRef, RoomRef];
    const head3 = h.campus.moveIn(r501, testUser({ roles: ['student', 'student_head'] }));
    const [in502, in503, in504] = [r502, r503, r504].map((r) => h.campus.moveIn(r)) as [TestUser, TestUser, TestUser];
    const own = (await request(head3, await dutyOf(r501, '2026-03-14'), await dutyOf(r502, '2026-03-24'))).data!
      .requestDutySwap;
    expect((await act('acceptDutySwap', in502, own.id)).errors).toBeUndefined();
    const others = (await request(in503, await dutyOf(r503, '2026-03-15'), await dutyOf(r504, '2026-03-25'))).data!
      .requestDutySwap;
    expect((await act('acceptDutySwap', in504, others.id)).errors).toBeUndefined();

    for (const name of ['approveDutySwap', 'rejectDutySwap']) {
      const refused = await act(name, head3, own.id);
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
      expect(detailsOf(refused)).toEqual({ rule: 'own_room_swap', swapId: own.id });
    }
    const stored = await h.duty.internals.db.dutySwap.findUniqueOrThrow({ where: { id: own.id } });
    expect(stored).toMatchObject({ status: 'accepted', decidedBy: null });

    const approved = await act('approveDutySwap', head3, others.id);
    expect(approved.errors).toBeUndefined();
    expect(approved.data!.approveDutySwap).toMatchObject({
      status: 'APPROVED',
      decidedBy: { id: head3.id },
      from: { date: '2026-03-25' },
      to: { date: '2026-03-15' },
    });
    // an educator decides the head's own room's swap
    const byEducator = await act('approveDutySwap', educator, own.id);
    expect(byEducator.data?.approveDutySwap).toMatchObject({ status: 'APPROVED', decidedBy: { id: educator.id } });
  });

  it('a cancellation publishes what was withdrawn: a request, or an accepted swap waiting for a reviewer', async () => {
    const [r601, r602, r603] = h.campus.addRooms('8', 4, 601, 3) as [RoomRef, RoomRef, RoomRef];
    const [in601, in603] = [r601, r603].map((r) => h.campus.moveIn(r)) as [TestUser, TestUser];
    const own = await dutyOf(r601, '2026-03-16');
    const requested = (await request(in601, own, await dutyOf(r602, '2026-03-26'))).data!.requestDutySwap;
    expect((await act('cancelDutySwap', in601, requested.id)).data?.cancelDutySwap?.status).toBe('CANCELLED');
    const accepted = (await request(in601, own, await dutyOf(r603, '2026-03-27'))).data!.requestDutySwap;
    expect((await act('acceptDutySwap', in603, accepted.id)).errors).toBeUndefined();
    expect((await act('cancelDutySwap', in601, accepted.id, 'plans changed')).errors).toBeUndefined();

    await observer.waitFor((m) => m.filter((e) => e.body.subject === accepted.id).length === 3);
    const cancelled = [requested.id, accepted.id].map(
      (id) => observer.about(id).find((m) => m.body.type === 'campus.duty.swap.cancelled.v1')!.body,
    );
    expect(cancelled.map((e) => e.data)).toEqual([
      expect.objectContaining({ swapId: requested.id, status: 'cancelled', previousStatus: 'requested' }),
      expect.objectContaining({
        swapId: accepted.id,
        status: 'cancelled',
        previousStatus: 'accepted',
        actorId: in601.id,
        reason: 'plans changed',
        toResidentIds: [in603.id],
      }),
    ]);
    for (const event of cancelled) expect(validateEvent(event)).toEqual({ valid: true, errors: [] });
  });
});
