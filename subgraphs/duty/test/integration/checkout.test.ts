// The check-out saga's duty step over gRPC with a real database: CloseSanctionsForCheckOut resolves a
// leaving student's open sanctions once per check-out (no resolver, the check-out's note and id, an
// event each), ReopenSanctionsForCheckOut opens exactly those again; repeats change nothing, a reopen
// that comes first leaves a tombstone, and only the checkout service may call either.
import { randomUUID } from 'node:crypto';
import { dutyService, validateEvent, type DutyServiceDefinition } from '@campus/contracts';
import { createGrpcClient, type CloudEvent, type GrpcClient } from '@campus/platform';
import { staff } from '@campus/testkit';
import { dutyMoments } from '../../src/domain/duty-times';
import type { DutyDatabase } from '../../src/repository/database';
import { toDateColumn } from '../../src/repository/schedule.mapper';
import { startDutyHarness, type DutyHarness } from '../support/harness';

jest.setTimeout(60_000);

const AT = '2026-03-20T09:00:00.000Z';
const NOTE = "Closed by the student's check-out";
const educator = staff('educator');

let h: DutyHarness;
let db: DutyDatabase;
let rosterId: string;
/** As the checkout orchestrator. */
let checkout: GrpcClient<DutyServiceDefinition>;
/** As any other service holding the service secret. */
let leave: GrpcClient<DutyServiceDefinition>;
let day = 0;

beforeAll(async () => {
  h = await startDutyHarness(AT, { env: { DUTY_SWEEP_CRON: '0 0 1 1 *' } });
  db = h.duty.internals.db;
  rosterId = randomUUID();
  await db.roster.create({
    data: {
      id: rosterId,
      building: 'C',
      entrance: 1,
      month: '2026-03',
      generatedBy: educator.id,
      generatedAt: new Date('2026-02-25T10:00:00.000Z'),
    },
  });
  const address = `127.0.0.1:${h.duty.grpcPort}`;
  checkout = createGrpcClient(dutyService, address, { name: 'duty', auth: { service: 'checkout' } });
  leave = createGrpcClient(dutyService, address, { name: 'duty', auth: { service: 'leave' } });
});

afterAll(async () => {
  checkout?.$close();
  leave?.$close();
  await h?.stop();
});

/** A sanction of `userId` for an overdue duty of its own (a room and date nobody else uses). */
async function seedSanction(
  userId: string,
  resolved?: { by: string; note: string },
): Promise<{ id: string; scheduleId: string; dutyDate: string }> {
  const date = `2026-03-${String((day++ % 19) + 1).padStart(2, '0')}`;
  const scheduleId = randomUUID();
  const roomId = randomUUID();
  const room = { roomId, building: 'C', entrance: 1, floor: 3, roomNumber: '305' };
  await db.dutySchedule.create({
    data: {
      id: scheduleId,
      rosterId,
      ...room,
      dutyDate: toDateColumn(date),
      month: '2026-03',
      status: 'overdue',
      ...dutyMoments(date, h.config.times, h.config.campusTimeZone),
    },
  });
  const sanction = await db.sanction.create({
    data: {
      id: randomUUID(),
      scheduleId,
      userId,
      ...room,
      dutyDate: toDateColumn(date),
      invitedAt: new Date('2026-03-02T06:00:00.000Z'),
      ...(resolved
        ? {
            status: 'resolved',
            resolvedBy: resolved.by,
            resolvedAt: new Date('2026-03-03T10:00:00.000Z'),
            resolutionNote: resolved.note,
          }
        : {}),
    },
  });
  return { id: sanction.id, scheduleId, dutyDate: date };
}

const sorted = (ids: string[]) => [...ids].sort();

async function eventsOf(type: string, checkoutId: string): Promise<CloudEvent[]> {
  const rows = await db.outboxEvent.findMany({ where: { type }, orderBy: { seq: 'asc' } });
  return rows
    .map((r) => r.payload as unknown as CloudEvent)
    .filter((e) => (e.data as { checkoutId?: unknown }).checkoutId === checkoutId);
}
const resolvedEvents = (checkoutId: string) => eventsOf('campus.duty.sanction.resolved.v1', checkoutId);
const reopenedEvents = (checkoutId: string) => eventsOf('campus.duty.sanction.reopened.v1', checkoutId);

describe('CloseSanctionsForCheckOut', () => {
  it("resolves the student's open sanctions on the check-out's behalf, once; a repeat answers the same", async () => {
    const studentId = randomUUID();
    const first = await seedSanction(studentId);
    const second = await seedSanction(studentId);
    const byEducator = await seedSanction(studentId, { by: educator.id, note: 'Talked it through' });
    const someoneElses = await seedSanction(randomUUID());
    const checkoutId = randomUUID();

    const answer = await checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId });
    expect(answer).toEqual({ sanctionIds: sorted([first.id, second.id]) });
    for (const s of [first, second]) {
      expect(await db.sanction.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({
        status: 'resolved',
        resolvedBy: null,
        resolvedAt: new Date(AT),
        resolutionNote: NOTE,
        resolvedByCheckoutId: checkoutId,
      });
    }
    expect(await db.sanction.findUniqueOrThrow({ where: { id: byEducator.id } })).toMatchObject({
      resolvedBy: educator.id,
      resolutionNote: 'Talked it through',
      resolvedByCheckoutId: null,
    });
    expect((await db.sanction.findUniqueOrThrow({ where: { id: someoneElses.id } })).status).toBe('open');

    const events = await resolvedEvents(checkoutId);
    expect(events.map((e) => e.data)).toEqual(
      sorted([first.id, second.id]).map((id) => ({
        sanctionId: id,
        scheduleId: id === first.id ? first.scheduleId : second.scheduleId,
        userId: studentId,
        roomNumber: '305',
        dutyDate: id === first.id ? first.dutyDate : second.dutyDate,
        resolvedBy: null,
        note: NOTE,
        checkoutId,
      })),
    );
    for (const e of events) expect(validateEvent(e)).toEqual({ valid: true, errors: [] });
    expect(await db.checkoutSanctionClosure.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      userId: studentId,
      sanctionIds: sorted([first.id, second.id]),
      closedAt: new Date(AT),
      reopenedAt: null,
    });

    // A repeat (the orchestrator retrying) changes nothing, not even a sanction opened since.
    const later = await seedSanction(studentId);
    expect(await checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId })).toEqual(answer);
    expect((await db.sanction.findUniqueOrThrow({ where: { id: later.id } })).status).toBe('open');
    expect(await resolvedEvents(checkoutId)).toHaveLength(2);
  });

  it('answers an empty list for a student without open sanctions, and records the close', async () => {
    const checkoutId = randomUUID();
    expect(await checkout.CloseSanctionsForCheckOut({ userId: randomUUID(), checkoutId })).toEqual({
      sanctionIds: [],
    });
    expect(await db.checkoutSanctionClosure.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      sanctionIds: [],
      closedAt: new Date(AT),
    });
  });

  it('closes once when the same check-out calls several times at once', async () => {
    const studentId = randomUUID();
    const sanctions = [await seedSanction(studentId), await seedSanction(studentId)];
    const checkoutId = randomUUID();

    const answers = await Promise.all(
      [1, 2, 3, 4].map(() => checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId })),
    );
    const expected = { sanctionIds: sorted(sanctions.map((s) => s.id)) };
    for (const answer of answers) expect(answer).toEqual(expected);
    expect(await resolvedEvents(checkoutId)).toHaveLength(2);
    expect(await db.checkoutSanctionClosure.count({ where: { checkoutId } })).toBe(1);
  });

  it('refuses ids that are not UUIDs with VALIDATION_ERROR, changing nothing', async () => {
    const studentId = randomUUID();
    const s = await seedSanction(studentId);
    await expect(
      checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId: 'not-an-id' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(
      checkout.CloseSanctionsForCheckOut({ userId: 'nobody', checkoutId: randomUUID() }),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    expect((await db.sanction.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('open');
  });
});

describe('ReopenSanctionsForCheckOut', () => {
  it('opens again what the check-out closed, once; a repeat answers the same and a late close changes nothing', async () => {
    const studentId = randomUUID();
    const sanctions = [await seedSanction(studentId), await seedSanction(studentId)];
    const ids = sorted(sanctions.map((s) => s.id));
    const checkoutId = randomUUID();
    await checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId });
    h.clock.set('2026-03-20T09:05:00.000Z');
    try {
      const answer = await checkout.ReopenSanctionsForCheckOut({ checkoutId });
      expect(answer).toEqual({ sanctionIds: ids });
      for (const id of ids) {
        expect(await db.sanction.findUniqueOrThrow({ where: { id } })).toMatchObject({
          status: 'open',
          resolvedBy: null,
          resolvedAt: null,
          resolutionNote: null,
          resolvedByCheckoutId: null,
        });
      }
      const events = await reopenedEvents(checkoutId);
      expect(events.map((e) => e.data)).toEqual(
        ids.map((id) => ({
          sanctionId: id,
          scheduleId: sanctions.find((s) => s.id === id)!.scheduleId,
          userId: studentId,
          roomNumber: '305',
          dutyDate: sanctions.find((s) => s.id === id)!.dutyDate,
          checkoutId,
        })),
      );
      for (const e of events) expect(validateEvent(e)).toEqual({ valid: true, errors: [] });
      expect(await db.checkoutSanctionClosure.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
        sanctionIds: ids,
        reopenedSanctionIds: ids,
        reopenedAt: new Date('2026-03-20T09:05:00.000Z'),
      });

      expect(await checkout.ReopenSanctionsForCheckOut({ checkoutId })).toEqual(answer);
      expect(await reopenedEvents(checkoutId)).toHaveLength(2);
      // The forward call repeated after its compensation answers what it did, and closes nothing.
      expect(await checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId })).toEqual({ sanctionIds: ids });
      for (const id of ids) expect((await db.sanction.findUniqueOrThrow({ where: { id } })).status).toBe('open');
      expect(await resolvedEvents(checkoutId)).toHaveLength(2);
    } finally {
      h.clock.set(AT);
    }
  });

  it('leaves alone a sanction that is no longer resolved by the check-out', async () => {
    const studentId = randomUUID();
    const kept = await seedSanction(studentId);
    const corrected = await seedSanction(studentId);
    const checkoutId = randomUUID();
    await checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId });
    // Resolved otherwise in between (an educator's correction): no longer the check-out's to undo.
    await db.sanction.update({
      where: { id: corrected.id },
      data: { resolvedBy: educator.id, resolutionNote: 'Talked it through', resolvedByCheckoutId: null },
    });

    expect(await checkout.ReopenSanctionsForCheckOut({ checkoutId })).toEqual({ sanctionIds: [kept.id] });
    expect((await db.sanction.findUniqueOrThrow({ where: { id: kept.id } })).status).toBe('open');
    expect(await db.sanction.findUniqueOrThrow({ where: { id: corrected.id } })).toMatchObject({
      status: 'resolved',
      resolvedBy: educator.id,
      resolutionNote: 'Talked it through',
    });
    expect((await reopenedEvents(checkoutId)).map((e) => (e.data as { sanctionId: string }).sanctionId)).toEqual([
      kept.id,
    ]);
  });

  it('keeps an educator resolution made after the reopen when the reopen is repeated', async () => {
    const studentId = randomUUID();
    const s = await seedSanction(studentId);
    const checkoutId = randomUUID();
    await checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId });
    await checkout.ReopenSanctionsForCheckOut({ checkoutId });
    const resolved = await h.gql(
      educator,
      `mutation ($input: ResolveSanctionInput!) { resolveSanction(input: $input) { id status resolvedBy { id } } }`,
      { input: { sanctionId: s.id, note: 'Talked it through' } },
    );
    expect(resolved.errors).toBeUndefined();

    expect(await checkout.ReopenSanctionsForCheckOut({ checkoutId })).toEqual({ sanctionIds: [s.id] });
    expect(await db.sanction.findUniqueOrThrow({ where: { id: s.id } })).toMatchObject({
      status: 'resolved',
      resolvedBy: educator.id,
      resolvedByCheckoutId: null,
    });
    expect(await reopenedEvents(checkoutId)).toHaveLength(1);
  });

  it('records a tombstone for a check-out that closed nothing: a late close then changes nothing', async () => {
    const studentId = randomUUID();
    const s = await seedSanction(studentId);
    const checkoutId = randomUUID();

    expect(await checkout.ReopenSanctionsForCheckOut({ checkoutId })).toEqual({ sanctionIds: [] });
    expect(await db.checkoutSanctionClosure.findUniqueOrThrow({ where: { checkoutId } })).toMatchObject({
      userId: null,
      sanctionIds: [],
      closedAt: null,
      reopenedAt: new Date(AT),
    });
    expect(await checkout.ReopenSanctionsForCheckOut({ checkoutId })).toEqual({ sanctionIds: [] });

    expect(await checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId })).toEqual({ sanctionIds: [] });
    expect((await db.sanction.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('open');
    expect(await resolvedEvents(checkoutId)).toEqual([]);
  });

  it('leaves the sanctions open whichever of a close and its reopen runs first', async () => {
    const studentId = randomUUID();
    const s = await seedSanction(studentId);
    const checkoutId = randomUUID();

    await Promise.all([
      checkout.CloseSanctionsForCheckOut({ userId: studentId, checkoutId }),
      checkout.ReopenSanctionsForCheckOut({ checkoutId }),
    ]);
    expect((await db.sanction.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('open');
    expect((await resolvedEvents(checkoutId)).length).toBe((await reopenedEvents(checkoutId)).length);
  });
});

describe('callers', () => {
  it('refuses any service but checkout with FORBIDDEN (PERMISSION_DENIED), changing nothing', async () => {
    const studentId = randomUUID();
    const s = await seedSanction(studentId);
    const checkoutId = randomUUID();

    await expect(leave.CloseSanctionsForCheckOut({ userId: studentId, checkoutId })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: expect.objectContaining({ caller: 'leave' }),
    });
    await expect(leave.ReopenSanctionsForCheckOut({ checkoutId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await db.sanction.findUniqueOrThrow({ where: { id: s.id } })).status).toBe('open');
    expect(await db.checkoutSanctionClosure.count({ where: { checkoutId } })).toBe(0);
  });

  it('still answers ListRoomDuties to other services', async () => {
    await expect(leave.ListRoomDuties({ roomId: randomUUID(), from: '2026-03-01', to: '2026-03-31' })).resolves.toEqual(
      { duties: [] },
    );
  });
});
