import { randomUUID } from 'node:crypto';
import { parseInput, unavailable } from '@campus/platform';
import { authOf, staff, student, TestClock } from '@campus/testkit';
import { createLoaders } from '../../src/api/graphql/loaders';
import type { Booking, Coworking } from '../../src/domain/records';
import { coworkingsSchema, createCoworkingSchema, updateCoworkingSchema } from '../../src/schemas/catalogue';
import type { CoworkingServices } from '../../src/services';
import { CoworkingCatalogue } from '../../src/services/catalogue.service';
import type { CampusLayout, CatalogueStore } from '../../src/services/ports';

const AT = '2026-03-01T09:00:00.000Z';

const coworking = (fields: Partial<Coworking> = {}): Coworking => ({
  id: randomUUID(),
  building: '8',
  name: 'Room',
  description: '',
  capacity: 4,
  available: true,
  createdAt: new Date(AT),
  updatedAt: new Date(AT),
  version: 1,
  ...fields,
});

const booking = (coworkingId: string, startsAt: string, endsAt: string): Booking =>
  ({
    id: randomUUID(),
    coworkingId,
    studentId: randomUUID(),
    purpose: 'p',
    startsAt: new Date(startsAt),
    endsAt: new Date(endsAt),
    status: 'approved',
    version: 1,
  }) as Booking;

/** An in-memory catalogue that counts its busy-slot queries. */
class FakeCatalogue implements CatalogueStore {
  busyCalls: string[][] = [];
  constructor(
    public coworkings: Coworking[],
    public bookings: Booking[] = [],
  ) {}
  async create(c: Parameters<CatalogueStore['create']>[0]) {
    const created = coworking({ ...c, createdAt: c.at, updatedAt: c.at });
    this.coworkings.push(created);
    return created;
  }
  async update(id: string, changes: object, expected: number | null) {
    const found = this.coworkings.find((c) => c.id === id);
    if (!found) return null;
    if (expected !== null && expected !== found.version) return 'stale' as const;
    Object.assign(found, changes, { version: found.version + 1 });
    return found;
  }
  async find(id: string) {
    return this.coworkings.find((c) => c.id === id) ?? null;
  }
  async byIds(ids: readonly string[]) {
    return this.coworkings.filter((c) => ids.includes(c.id));
  }
  async list() {
    return this.coworkings;
  }
  async busyBookings(ids: readonly string[], from: Date, to: Date) {
    this.busyCalls.push([...ids]);
    return this.bookings.filter((b) => ids.includes(b.coworkingId) && b.startsAt < to && b.endsAt > from);
  }
}

/** Identity's layout: these buildings; `down` answers as the platform client does for an unreachable identity. */
class FakeLayout implements CampusLayout {
  asked: string[] = [];
  down = false;
  constructor(public buildings: string[] = ['8', '9']) {}
  async buildingExists(building: string) {
    this.asked.push(building);
    if (this.down) throw unavailable('identity is down (test)');
    return this.buildings.includes(building);
  }
}

describe('catalogue input rules', () => {
  const valid = { building: '8', name: 'Quiet', capacity: 4 };
  const fieldsOfRefusal = (schema: Parameters<typeof parseInput>[0], value: unknown) => {
    try {
      parseInput(schema, value);
    } catch (error) {
      return Object.keys((error as { details: { fields: Record<string, string> } }).details.fields);
    }
    return [];
  };

  it('accepts names of 1..80 characters, descriptions up to 1000, capacity 1..100, defaulting the rest', () => {
    expect(parseInput(createCoworkingSchema, { input: { ...valid, name: 'x'.repeat(80) } }).input).toEqual({
      building: '8',
      name: 'x'.repeat(80),
      description: '',
      capacity: 4,
      available: true,
    });
    expect(
      parseInput(createCoworkingSchema, { input: { ...valid, capacity: 100, description: 'd'.repeat(1000) } }).input
        .capacity,
    ).toBe(100);
    expect(parseInput(createCoworkingSchema, { input: { ...valid, capacity: 1 } }).input.capacity).toBe(1);
  });

  it.each([
    [{ name: '' }, 'input.name'],
    [{ name: ' '.repeat(5) }, 'input.name'],
    [{ name: 'x'.repeat(81) }, 'input.name'],
    [{ description: 'd'.repeat(1001) }, 'input.description'],
    [{ capacity: 0 }, 'input.capacity'],
    [{ capacity: 101 }, 'input.capacity'],
    [{ capacity: 2.5 }, 'input.capacity'],
    [{ building: '  ' }, 'input.building'],
  ])('refuses %j, naming %s', (change, field) => {
    expect(fieldsOfRefusal(createCoworkingSchema, { input: { ...valid, ...change } })).toEqual([field]);
  });

  it('lets an update give only what changes, and refuses a version below 1', () => {
    const id = randomUUID();
    expect(parseInput(updateCoworkingSchema, { input: { id, available: false } }).input).toEqual({
      id,
      name: undefined,
      description: undefined,
      capacity: undefined,
      available: false,
      version: undefined,
    });
    expect(fieldsOfRefusal(updateCoworkingSchema, { input: { id, version: 0 } })).toEqual(['input.version']);
  });

  it('wants both ends of a window, in order, at most 31 days long', () => {
    const from = new Date('2026-03-01T10:00:00Z');
    expect(fieldsOfRefusal(coworkingsSchema, { from })).toEqual(['to']);
    expect(fieldsOfRefusal(coworkingsSchema, { from, to: from })).toEqual(['to']);
    expect(fieldsOfRefusal(coworkingsSchema, { from, to: new Date('2026-04-02T10:00:00Z') })).toEqual(['to']);
    expect(parseInput(coworkingsSchema, { from, to: new Date('2026-03-31T10:00:00Z') }).availableOnly).toBe(false);
  });
});

describe('CoworkingCatalogue', () => {
  const clock = new TestClock(AT);
  const educator = authOf(staff('educator'));
  const someone = authOf(student());

  it('lets staff create and edit, and refuses students with FORBIDDEN', async () => {
    const catalogue = new CoworkingCatalogue({ store: new FakeCatalogue([]), layout: new FakeLayout(), clock });
    const draft = { building: '8', name: 'A', description: '', capacity: 3, available: true };
    await expect(catalogue.create(someone, draft)).rejects.toMatchObject({
      code: 'FORBIDDEN',
      details: { rule: 'coworking_edit' },
    });
    const created = await catalogue.create(educator, draft);
    expect(created).toMatchObject({ name: 'A', createdAt: new Date(AT) });
    await expect(catalogue.update(someone, { id: created.id, capacity: 5 })).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });

  it("refuses a building identity's layout lacks (COWRK_BUILDING_NOT_FOUND), storing nothing", async () => {
    const store = new FakeCatalogue([]);
    const layout = new FakeLayout(['8']);
    const catalogue = new CoworkingCatalogue({ store, layout, clock });
    const draft = { building: '88', name: 'Typo', description: '', capacity: 3, available: true };
    await expect(catalogue.create(educator, draft)).rejects.toMatchObject({
      code: 'COWRK_BUILDING_NOT_FOUND',
      kind: 'NOT_FOUND',
      details: { building: '88' },
    });
    expect(store.coworkings).toEqual([]);
    expect(await catalogue.create(educator, { ...draft, building: '8' })).toMatchObject({
      building: '8',
      name: 'Typo',
    });
    expect(store.coworkings.map((c) => c.building)).toEqual(['8']);
    expect(layout.asked).toEqual(['88', '8']);
  });

  it('refuses with COWRK_DEPENDENCY_UNAVAILABLE while identity cannot answer, storing nothing; a student is refused before asking', async () => {
    const store = new FakeCatalogue([]);
    const layout = new FakeLayout(['8']);
    layout.down = true;
    const catalogue = new CoworkingCatalogue({ store, layout, clock });
    const draft = { building: '8', name: 'Later', description: '', capacity: 3, available: true };
    await expect(catalogue.create(educator, draft)).rejects.toMatchObject({
      code: 'COWRK_DEPENDENCY_UNAVAILABLE',
      kind: 'UNAVAILABLE',
      details: { dependency: 'identity', cause: 'UNAVAILABLE' },
    });
    expect(store.coworkings).toEqual([]);
    await expect(catalogue.create(someone, draft)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(layout.asked).toEqual(['8']);
  });

  it('refuses a stale version with CONFLICT naming the current one, and an unknown id with COWRK_NOT_FOUND', async () => {
    const room = coworking({ version: 3 });
    const catalogue = new CoworkingCatalogue({ store: new FakeCatalogue([room]), layout: new FakeLayout(), clock });
    await expect(catalogue.update(educator, { id: room.id, capacity: 5, version: 2 })).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { coworkingId: room.id, version: 2, currentVersion: 3 },
    });
    expect(room.capacity).toBe(4);
    expect(await catalogue.update(educator, { id: room.id, capacity: 5, version: 3 })).toMatchObject({
      capacity: 5,
      version: 4,
    });
    await expect(catalogue.update(educator, { id: randomUUID(), capacity: 5 })).rejects.toMatchObject({
      code: 'COWRK_NOT_FOUND',
    });
  });

  it('says which coworkings are free for the whole window (an overlap at either end makes it busy)', async () => {
    const [a, b, c] = [coworking({ name: 'a' }), coworking({ name: 'b' }), coworking({ name: 'c' })];
    const store = new FakeCatalogue(
      [a, b, c],
      [
        booking(a.id, '2026-03-01T09:00:00Z', '2026-03-01T10:30:00Z'),
        booking(b.id, '2026-03-01T12:00:00Z', '2026-03-01T13:00:00Z'),
      ],
    );
    const catalogue = new CoworkingCatalogue({ store, layout: new FakeLayout(), clock });
    const listed = await catalogue.list(someone, {
      availableOnly: false,
      window: { from: new Date('2026-03-01T10:00:00Z'), to: new Date('2026-03-01T12:00:00Z') },
    });
    expect(listed.map((x) => [x.name, x.freeInWindow])).toEqual([
      ['a', false],
      ['b', true],
      ['c', true],
    ]);
    // what busySlots of the same window answers (the resolver primes its loader with it)
    expect(listed.map((x) => x.slotsInWindow?.map((slot) => [slot.startsAt.toISOString(), slot.booking]))).toEqual([
      [['2026-03-01T09:00:00.000Z', null]],
      [],
      [],
    ]);
    expect(store.busyCalls).toHaveLength(1);
    expect((await catalogue.list(someone, { availableOnly: false })).map((x) => x.freeInWindow)).toEqual([
      null,
      null,
      null,
    ]);
  });

  it('defaults the busy window to the next 24 hours', () => {
    const catalogue = new CoworkingCatalogue({ store: new FakeCatalogue([]), layout: new FakeLayout(), clock });
    expect(catalogue.busyWindow({})).toEqual({ from: new Date(AT), to: new Date('2026-03-02T09:00:00.000Z') });
  });
});

describe('the busySlots loader', () => {
  it('asks the store once for every coworking of a selection; students get times only, staff the booking', async () => {
    const rooms = [coworking(), coworking(), coworking()];
    const taken = booking(rooms[1]!.id, '2026-03-01T10:00:00Z', '2026-03-01T11:00:00Z');
    const store = new FakeCatalogue(rooms, [taken]);
    const services = {
      catalogue: new CoworkingCatalogue({ store, layout: new FakeLayout(), clock: new TestClock(AT) }),
    } as unknown as CoworkingServices;
    const window = { from: '2026-03-01T09:00:00.000Z', to: '2026-03-02T09:00:00.000Z' };

    const asStudent = createLoaders(services, authOf(student()));
    const slots = await Promise.all(rooms.map((r) => asStudent.busySlots.load({ coworkingId: r.id, ...window })));
    expect(store.busyCalls).toEqual([rooms.map((r) => r.id)]);
    expect(slots).toEqual([
      [],
      [{ startsAt: taken.startsAt, endsAt: taken.endsAt, status: 'approved', booking: null }],
      [],
    ]);

    const asStaff = createLoaders(services, authOf(staff('educator')));
    expect(await asStaff.busySlots.load({ coworkingId: rooms[1]!.id, ...window })).toEqual([
      expect.objectContaining({ booking: taken }),
    ]);
  });
});
