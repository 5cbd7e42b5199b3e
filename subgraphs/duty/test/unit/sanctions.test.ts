import { randomUUID } from 'node:crypto';
import { pageOf, pageRequest, type CloudEvent, type Page, type PageRequest } from '@campus/platform';
import { authOf, staff, student, TestClock, testUser } from '@campus/testkit';
import type { Sanction, SanctionStatus } from '../../src/domain/records';
import { scopeSanctionFilter } from '../../src/domain/sanctions';
import type { SanctionListQuery, SanctionResolution, SanctionStore } from '../../src/services/ports';
import { DutySanctions } from '../../src/services/sanctions.service';

/** campus_duty's sanctions in memory, with the repository's conditional resolve. */
class MemorySanctions implements SanctionStore {
  readonly rows: Sanction[] = [];
  readonly outbox: CloudEvent[] = [];
  /** Simulates another educator resolving it between the service's read and its write. */
  raceOnResolve = false;

  add(patch: Partial<Sanction> & { building?: string; entrance?: number } = {}): Sanction {
    const { building = '8', entrance = 2, ...rest } = patch;
    const s: Sanction = {
      id: randomUUID(),
      scheduleId: randomUUID(),
      userId: randomUUID(),
      room: { roomId: randomUUID(), building, entrance, floor: 3, number: '305' },
      dutyDate: '2026-03-10',
      invitedAt: new Date('2026-03-11T06:00:00.000Z'),
      status: 'open',
      createdAt: new Date(Date.UTC(2026, 2, 10, 20, 0, this.rows.length)),
      resolvedBy: null,
      resolvedAt: null,
      resolutionNote: null,
      ...rest,
    };
    this.rows.push(s);
    return s;
  }

  async findSanction(id: string) {
    return this.rows.find((s) => s.id === id) ?? null;
  }
  async sanctionsByIds(ids: readonly string[]) {
    return this.rows.filter((s) => ids.includes(s.id));
  }
  async listSanctions(q: SanctionListQuery, page: PageRequest): Promise<Page<Sanction>> {
    const found = this.rows
      .filter(
        (s) =>
          (!q.status || s.status === q.status) &&
          (q.building === undefined || s.room.building === q.building) &&
          (q.entrance === undefined || s.room.entrance === q.entrance) &&
          (q.userId === undefined || s.userId === q.userId) &&
          (!q.entrances || q.entrances.some((e) => e.building === s.room.building && e.entrance === s.room.entrance)),
      )
      .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
    return pageOf(found.slice(page.skip, page.skip + page.take), found.length, page);
  }
  async sanctionsOfSchedules(ids: readonly string[]) {
    return this.rows.filter((s) => ids.includes(s.scheduleId));
  }
  async sanctionsOfUsers(ids: readonly string[], status?: SanctionStatus) {
    return this.rows.filter((s) => ids.includes(s.userId) && (!status || s.status === status));
  }
  async resolveSanction(r: SanctionResolution) {
    const i = this.rows.findIndex((s) => s.id === r.sanctionId && s.status === 'open' && !this.raceOnResolve);
    if (i < 0) return null;
    const resolved: Sanction = {
      ...this.rows[i]!,
      status: 'resolved',
      resolvedBy: r.resolvedBy,
      resolvedAt: r.at,
      resolutionNote: r.note,
    };
    this.rows[i] = resolved;
    this.outbox.push(...r.events(resolved));
    return resolved;
  }
}

const head82 = testUser({ roles: ['educator_head'], entrances: [{ building: '8', entrance: 2 }] });
const head93 = testUser({ roles: ['educator_head'], entrances: [{ building: '9', entrance: 3 }] });
const educator = staff('educator');
const admin = staff('admin');

function setup() {
  const store = new MemorySanctions();
  const clock = new TestClock('2026-03-11T07:00:00.000Z');
  return { store, clock, sanctions: new DutySanctions({ store, clock }) };
}

describe('resolveSanction', () => {
  it('an educator resolves an open sanction with a note: stored, with the sanction.resolved event', async () => {
    const { store, clock, sanctions } = setup();
    const s = store.add();
    const resolved = await sanctions.resolve(authOf(educator), { sanctionId: s.id, note: '  Поговорили, убрал. ' });
    expect(resolved).toMatchObject({
      status: 'resolved',
      resolvedBy: educator.id,
      resolvedAt: clock.now(),
      resolutionNote: 'Поговорили, убрал.',
    });
    expect(store.outbox).toEqual([
      expect.objectContaining({
        type: 'campus.duty.sanction.resolved.v1',
        subject: s.id,
        data: {
          sanctionId: s.id,
          scheduleId: s.scheduleId,
          userId: s.userId,
          roomNumber: s.room.number,
          dutyDate: s.dutyDate,
          resolvedBy: educator.id,
          note: 'Поговорили, убрал.',
          checkoutId: null,
        },
      }),
    ]);
  });

  it('needs a note, and resolves only once (also when another educator was first)', async () => {
    const { store, sanctions } = setup();
    const s = store.add();
    await expect(sanctions.resolve(authOf(educator), { sanctionId: s.id, note: '  ' })).rejects.toMatchObject({
      code: 'DUTY_RESOLUTION_NOTE_REQUIRED',
    });
    await sanctions.resolve(authOf(educator), { sanctionId: s.id, note: 'ok' });
    await expect(sanctions.resolve(authOf(head82), { sanctionId: s.id, note: 'again' })).rejects.toMatchObject({
      code: 'DUTY_SANCTION_RESOLVED',
      details: { sanctionId: s.id },
    });
    const raced = store.add();
    store.raceOnResolve = true;
    await expect(sanctions.resolve(authOf(educator), { sanctionId: raced.id, note: 'ok' })).rejects.toMatchObject({
      code: 'DUTY_SANCTION_RESOLVED',
    });
    expect(store.outbox).toHaveLength(1);
  });

  it('an educator_head only in assigned entrances; students and the administrator never; unknown id is NOT_FOUND', async () => {
    const { store, sanctions } = setup();
    const s = store.add();
    await expect(sanctions.resolve(authOf(head93), { sanctionId: s.id, note: 'x' })).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { rule: 'sanction_resolve', sanctionId: s.id },
    });
    for (const user of [admin, student({ id: s.userId })]) {
      await expect(sanctions.resolve(authOf(user), { sanctionId: s.id, note: 'x' })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
    }
    await expect(sanctions.resolve(null, { sanctionId: s.id, note: 'x' })).rejects.toMatchObject({
      code: 'UNAUTHENTICATED',
    });
    await expect(sanctions.resolve(authOf(educator), { sanctionId: randomUUID(), note: 'x' })).rejects.toMatchObject({
      code: 'DUTY_SANCTION_NOT_FOUND',
    });
    expect((await sanctions.resolve(authOf(head82), { sanctionId: s.id, note: 'x' })).status).toBe('resolved');
  });
});

describe('dutySanctions', () => {
  function campus() {
    const ctx = setup();
    const open82 = ctx.store.add();
    const open93 = ctx.store.add({ building: '9', entrance: 3 });
    const resolved82 = ctx.store.add({ status: 'resolved' });
    const newest82 = ctx.store.add();
    return { ...ctx, open82, open93, resolved82, newest82 };
  }
  const ids = (page: Page<Sanction>) => page.items.map((s) => s.id);
  const first = pageRequest(1, 20);

  it('staff see open ones by default, newest first; a status shows those', async () => {
    const { sanctions, open82, open93, newest82, resolved82 } = campus();
    for (const user of [educator, admin]) {
      const page = await sanctions.list(authOf(user), {}, first);
      expect(ids(page)).toEqual([newest82.id, open93.id, open82.id]);
      expect(page.total).toBe(3);
    }
    expect(ids(await sanctions.list(authOf(educator), { status: 'resolved' }, first))).toEqual([resolved82.id]);
    expect(ids(await sanctions.list(authOf(educator), { building: '9' }, first))).toEqual([open93.id]);
  });

  it('an educator_head sees only assigned entrances: limited without a filter, refused for another entrance', async () => {
    const { sanctions, open82, newest82 } = campus();
    expect(ids(await sanctions.list(authOf(head82), {}, first))).toEqual([newest82.id, open82.id]);
    expect(ids(await sanctions.list(authOf(head82), { building: '9' }, first))).toEqual([]);
    await expect(sanctions.list(authOf(head82), { building: '9', entrance: 3 }, first)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { rule: 'sanction_read', building: '9', entrance: 3 },
    });
    const unassigned = testUser({ roles: ['educator_head'] });
    expect((await sanctions.list(authOf(unassigned), {}, first)).total).toBe(0);
  });

  it('students may not list sanctions', async () => {
    const { sanctions } = campus();
    await expect(sanctions.list(authOf(student()), {}, first)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { rule: 'sanction_read' },
    });
    expect(() => scopeSanctionFilter(authOf(testUser({ roles: ['student_head'] })), {})).toThrow();
  });
});

describe("a user's and a duty's sanctions", () => {
  it("User.sanctions: the user themself and staff (a head: assigned entrances' only); FORBIDDEN for others", async () => {
    const { store, sanctions } = setup();
    const me = student();
    const mine82 = store.add({ userId: me.id });
    const mine93 = store.add({ userId: me.id, building: '9', entrance: 3 });
    const all = await sanctions.sanctionsOfUsers([me.id]);
    sanctions.assertMayListOfUser(authOf(me), me.id);
    expect(sanctions.visibleOfUser(authOf(me), me.id, all)).toHaveLength(2);
    expect(sanctions.visibleOfUser(authOf(educator), me.id, all)).toHaveLength(2);
    expect(sanctions.visibleOfUser(authOf(head82), me.id, all).map((s) => s.id)).toEqual([mine82.id]);
    expect(mine93.room.building).toBe('9');
    expect(() => sanctions.assertMayListOfUser(authOf(student()), me.id)).toThrow(
      expect.objectContaining({ code: 'FORBIDDEN' }),
    );
  });

  it('DutySchedule.sanctions: staff of the entrance only', () => {
    const { sanctions } = setup();
    const duty = { room: { roomId: randomUUID(), building: '8', entrance: 2, floor: 3, number: '305' } };
    expect(sanctions.maySeeSanctionsOf(authOf(educator), duty)).toBe(true);
    expect(sanctions.maySeeSanctionsOf(authOf(head82), duty)).toBe(true);
    expect(sanctions.maySeeSanctionsOf(authOf(head93), duty)).toBe(false);
    expect(sanctions.maySeeSanctionsOf(authOf(student()), duty)).toBe(false);
    expect(sanctions.maySeeSanctionsOf(null, duty)).toBe(false);
  });
});
