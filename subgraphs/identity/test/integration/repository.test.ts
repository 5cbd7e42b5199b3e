// Repositories and the seed against a real, freshly migrated PostgreSQL database.
import { createDatabasePool, createPrismaClient, DomainError, systemClock } from '@campus/platform';
import { authOf, createTestDatabase, staff, type TestDatabase } from '@campus/testkit';
import type pg from 'pg';
import { randomBytes } from 'node:crypto';
import { isSealed, SigningKeyCipher } from '../../src/adapters/signing-key-cipher';
import { generateSigningKey } from '../../src/adapters/signing-key-crypto';
import { CLEAR_THROTTLE } from '../../src/domain/throttle';
import { PrismaCampusRepository } from '../../src/repository/campus.repository';
import { PrismaClient } from '../../src/repository/database';
import { PrismaRefreshTokenRepository } from '../../src/repository/refresh-token.repository';
import { PrismaSigningKeyRepository } from '../../src/repository/signing-key.repository';
import { PrismaUserRepository } from '../../src/repository/user.repository';
import { SigningKeyService } from '../../src/services/signing-key.service';
import { seedDemoCampus } from '../../src/seed/demo-campus';
import { fakeHasher, newUser } from '../support/fakes';

let db: TestDatabase;
let pool: pg.Pool;
let prisma: PrismaClient;
let users: PrismaUserRepository;
let campus: PrismaCampusRepository;
const oldEncryptionKey = randomBytes(32);
const cipher = new SigningKeyCipher(randomBytes(32), [oldEncryptionKey]);

beforeAll(async () => {
  db = await createTestDatabase('identity');
  pool = createDatabasePool(db.url, 5);
  prisma = createPrismaClient(PrismaClient, pool);
  users = new PrismaUserRepository(prisma, pool);
  campus = new PrismaCampusRepository(prisma, pool);
  await seedDemoCampus(prisma, { password: 'sirius2026', hasher: fakeHasher });
});

afterAll(async () => {
  await prisma?.$disconnect();
  await pool?.end();
  await db?.drop();
});

describe('demo seed', () => {
  it('builds the campus layout and the demo accounts', async () => {
    const buildings = await campus.listBuildings();
    expect(buildings).toEqual([
      { code: '8', name: 'Корпус 8 (юноши)', floors: 5, entrances: [1, 2, 3, 4] },
      { code: '9', name: 'Корпус 9 (девушки)', floors: 5, entrances: [1, 2, 3, 4] },
    ]);
    expect(await prisma.room.count()).toBe(160);
    const students = await users.list({ role: 'student' }, 1000, 'full');
    expect(students.length).toBeGreaterThanOrEqual(200);
    const minors = students.filter((s) => s.isMinor);
    expect(minors.length / students.length).toBeGreaterThan(0.3);
    expect(minors.every((m) => m.parentContact !== null)).toBe(true);
    expect(await prisma.room.count({ where: { residents: { none: {} } } })).toBeGreaterThan(0);

    const everyone = await users.list({}, 1000, 'full');
    const demo = Object.fromEntries(everyone.filter((u) => !/^student\d+@/.test(u.email)).map((u) => [u.email, u]));
    expect(demo['admin@sirius.local']?.roles).toEqual(['admin']);
    expect(demo['educator@sirius.local']?.roles).toEqual(['educator']);
    expect(demo['educator.head@sirius.local']?.assignedEntrances).toEqual([
      { building: '8', entrance: 1 },
      { building: '8', entrance: 2 },
    ]);
    expect(demo['head@sirius.local']).toMatchObject({
      roles: ['student', 'student_head'],
      isMinor: false,
      residence: { building: '8', entrance: 1 },
    });
    expect(demo['patrol@sirius.local']).toMatchObject({
      roles: ['student', 'student_patrol'],
      isMinor: false,
      residence: { building: '8', entrance: 1 },
    });
    expect(demo['student.minor@sirius.local']).toMatchObject({
      isMinor: true,
      residence: { building: '8', entrance: 1 },
    });
    expect(demo['student.adult@sirius.local']).toMatchObject({
      isMinor: false,
      residence: { building: '8', entrance: 1 },
    });
  });

  it('gives every entrance a head and a patrol, and is idempotent', async () => {
    for (const building of ['8', '9']) {
      for (let entrance = 1; entrance <= 4; entrance++) {
        expect(await users.list({ building, entrance, role: 'student_head' }, 10, 'full')).toHaveLength(1);
        expect(await users.list({ building, entrance, role: 'student_patrol' }, 10, 'full')).toHaveLength(1);
      }
    }
    const before = await prisma.user.count();
    expect((await seedDemoCampus(prisma, { password: 'sirius2026', hasher: fakeHasher })).seeded).toBe(false);
    expect(await prisma.user.count()).toBe(before);
  });
});

describe('user repository', () => {
  it('filters by every field and orders by building, room, last name', async () => {
    const page = await users.search({ building: '8', entrance: 1, floor: 1 }, { skip: 0, take: 100 }, 'full');
    expect(page.total).toBe(page.items.length);
    const keys = page.items.map((u) => `${u.residence?.room}|${u.lastName}`);
    expect(keys).toEqual([...keys].sort());
    expect(
      page.items.every((u) => u.residence?.building === '8' && u.residence.entrance === 1 && u.residence.floor === 1),
    ).toBe(true);

    const minors = await users.list({ building: '9', minorsOnly: true }, 1000, 'full');
    expect(minors.length).toBeGreaterThan(0);
    expect(minors.every((u) => u.isMinor && u.residence?.building === '9')).toBe(true);
    expect((await users.list({ room: '1101', building: '8' }, 10, 'full')).map((u) => u.residence?.room)).toEqual(
      expect.arrayContaining(['1101']),
    );
  });

  it('searches names and e-mails case-insensitively, every word must match', async () => {
    const [someone] = await users.list({ building: '9' }, 1, 'full');
    if (!someone) throw new Error('seed missing');
    const found = await users.list(
      { search: `${someone.lastName.toUpperCase()} ${someone.firstName.toLowerCase()}` },
      100,
      'full',
    );
    expect(found.map((u) => u.id)).toContain(someone.id);
    expect(found.every((u) => u.lastName === someone.lastName && u.firstName === someone.firstName)).toBe(true);
    expect((await users.list({ search: 'EDUCATOR.HEAD@' }, 10, 'full')).map((u) => u.email)).toEqual([
      'educator.head@sirius.local',
    ]);
  });

  it('matches % and _ in a search literally', async () => {
    expect(await users.list({ search: '%' }, 10, 'full')).toEqual([]);
    expect(await users.list({ search: '_' }, 10, 'full')).toEqual([]);
    expect(await users.list({ search: '\\' }, 10, 'full')).toEqual([]);
    expect((await users.list({ search: 'educator.head' }, 10, 'full')).map((u) => u.email)).toEqual([
      'educator.head@sirius.local',
    ]);
    const underscored = await users.create(newUser({ email: `under_score${Date.now()}@sirius.local` }));
    expect((await users.list({ search: 'under_score' }, 10, 'full')).map((u) => u.id)).toEqual([underscored.id]);
  });

  it('keeps login throttles per account and client, compare-and-set', async () => {
    const user = await users.create(newUser());
    const failed = { failedAttempts: 1, firstFailedAt: new Date(), lastFailedAt: new Date(), lockedUntil: null };
    expect(await users.findClientThrottle(user.id, '10.0.0.1')).toEqual(CLEAR_THROTTLE);
    expect(await users.updateClientThrottle(user.id, '10.0.0.1', CLEAR_THROTTLE, failed)).toBe(true);
    expect(await users.updateClientThrottle(user.id, '10.0.0.1', CLEAR_THROTTLE, failed)).toBe(false);
    expect(await users.findClientThrottle(user.id, '10.0.0.1')).toEqual(failed);
    expect(await users.findClientThrottle(user.id, '10.0.0.2')).toEqual(CLEAR_THROTTLE);
    expect(await users.updateClientThrottle(user.id, '10.0.0.2', CLEAR_THROTTLE, failed)).toBe(true);
    await users.clearClientThrottles(user.id, '10.0.0.1');
    expect(await users.findClientThrottle(user.id, '10.0.0.1')).toEqual(CLEAR_THROTTLE);
    expect(await users.findClientThrottle(user.id, '10.0.0.2')).toEqual(failed);
    await users.clearClientThrottles(user.id);
    expect(await users.findClientThrottle(user.id, '10.0.0.2')).toEqual(CLEAR_THROTTLE);
  });

  it('stores timestamps as timestamptz', async () => {
    const columns = await prisma.$queryRaw<{ table_name: string; column_name: string }[]>`
      SELECT table_name, column_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND data_type = 'timestamp without time zone'
        AND table_name <> '_prisma_migrations'`;
    expect(columns).toEqual([]);
  });

  it('ignores ids that are not UUIDs instead of failing the query', async () => {
    const [someone] = await users.list({}, 1, 'full');
    expect(await users.findByIds(['nope', someone?.id ?? ''])).toHaveLength(1);
    expect(await users.findCredentialsById('nope')).toBeNull();
    expect(await campus.roomsByIds(['nope'])).toEqual([]);
  });

  it('turns a duplicate e-mail into AUTH_EMAIL_TAKEN', async () => {
    const user = await users.create(newUser());
    await expect(users.create(newUser({ email: user.email }))).rejects.toMatchObject({ code: 'AUTH_EMAIL_TAKEN' });
  });

  it('never overfills a room, even under concurrent check-ins', async () => {
    const [room] = await campus.findRooms([{ building: '9', room: '4504' }]);
    if (!room) throw new Error('room missing');
    const free = room.capacity - (await users.findActiveByRoomIds([room.id])).length;
    const results = await Promise.allSettled(
      Array.from({ length: free + 2 }, () => users.create(newUser({ roomId: room.id }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(free);
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused.every((r) => r.reason instanceof DomainError && r.reason.code === 'AUTH_ROOM_FULL')).toBe(true);
    expect(await users.findActiveByRoomIds([room.id])).toHaveLength(room.capacity);
  });

  it('moves, deactivates and reactivates with the capacity rule', async () => {
    const [full] = await campus.findRooms([{ building: '9', room: '4504' }]);
    const user = await users.create(newUser());
    await expect(users.update(user.id, { roomId: full?.id ?? null })).rejects.toMatchObject({ code: 'AUTH_ROOM_FULL' });
    const [resident] = await users.findActiveByRoomIds([full?.id ?? '']);
    await users.update(resident?.id ?? '', { isActive: false });
    const moved = await users.update(user.id, {
      roomId: full?.id ?? null,
      parentContact: { name: 'Мама', phone: '+79160000000' },
    });
    expect(moved.residence?.room).toBe('4504');
    expect(moved.parentContact).toEqual({ name: 'Мама', phone: '+79160000000' });
    await expect(users.update(resident?.id ?? '', { isActive: true })).rejects.toMatchObject({
      code: 'AUTH_ROOM_FULL',
    });
  });

  it('replaces roles and entrances', async () => {
    const user = await users.create(newUser({ roles: ['educator'] }));
    const head = await users.setRoles(user.id, ['educator', 'educator_head'], [{ building: '9', entrance: 2 }]);
    expect(head).toMatchObject({
      roles: ['educator', 'educator_head'],
      assignedEntrances: [{ building: '9', entrance: 2 }],
    });
    const back = await users.setRoles(user.id, ['educator'], []);
    expect(back).toMatchObject({ roles: ['educator'], assignedEntrances: [] });
    expect(
      await campus.existingEntrances([
        { building: '9', entrance: 2 },
        { building: '9', entrance: 9 },
      ]),
    ).toEqual([{ building: '9', entrance: 2 }]);
  });

  it('updates the login throttle only from the expected state', async () => {
    const user = await users.create(newUser());
    const next = { failedAttempts: 1, firstFailedAt: new Date(), lastFailedAt: new Date(), lockedUntil: null };
    expect(await users.updateThrottle(user.id, CLEAR_THROTTLE, next)).toBe(true);
    expect(await users.updateThrottle(user.id, CLEAR_THROTTLE, next)).toBe(false);
    expect((await users.findCredentialsByEmail(user.email))?.throttle).toEqual(next);
  });
});

describe('refresh token repository', () => {
  it('lets exactly one of two concurrent rotations win', async () => {
    const tokens = new PrismaRefreshTokenRepository(prisma);
    const user = await users.create(newUser());
    const familyId = '00000000-0000-4000-8000-000000000001';
    const expiresAt = new Date(Date.now() + 3600_000);
    await tokens.insert({ userId: user.id, familyId, tokenHash: 'h0', expiresAt });
    const current = await tokens.findByHash('h0');
    const results = await Promise.all(
      ['h1', 'h2'].map((tokenHash) =>
        tokens.rotate(current?.id ?? '', new Date(), { userId: user.id, familyId, tokenHash, expiresAt }),
      ),
    );
    expect(results.sort()).toEqual([false, true]);
    expect(await prisma.refreshToken.count({ where: { familyId } })).toBe(2);
    expect(await tokens.revokeFamily(familyId, new Date())).toBe(2);
    expect(await tokens.revokeAllOfUser(user.id, new Date())).toBe(0);
    expect(await tokens.deleteExpiredBefore(new Date(Date.now() + 7200_000))).toBe(2);
  });
});

describe('signing key repository', () => {
  // No caching and no activation delay: each read sees the database as it is now.
  const settings = {
    accessTokenTtlSeconds: 900,
    retentionMarginSeconds: 300,
    cacheTtlMs: 0,
    unknownKidCooldownMs: 0,
    activationDelaySeconds: 0,
  };

  it('creates a single key when replicas start together', async () => {
    const store = new PrismaSigningKeyRepository(prisma, cipher);
    const replicas = [1, 2, 3].map(
      () => new SigningKeyService({ store, clock: systemClock, generate: generateSigningKey, settings }),
    );
    const kids = await Promise.all(replicas.map((r) => r.ensureActiveKey()));
    expect(new Set(kids).size).toBe(1);
    expect(await prisma.signingKey.count()).toBe(1);
    const jwks = await replicas[0]?.jwks();
    expect(jwks?.keys.map((k) => k.kid)).toEqual([kids[0]]);
    const signing = await replicas[1]?.signingKey();
    expect(signing?.kid).toBe(kids[0]);
  });

  it('stores private keys only encrypted, and re-encrypts plaintext and old-key rows on start', async () => {
    const store = new PrismaSigningKeyRepository(prisma, cipher);
    const stored = await prisma.signingKey.findFirstOrThrow();
    expect(isSealed(stored.privateJwk)).toBe(true);
    expect(JSON.stringify(stored.privateJwk)).not.toContain('"d"');
    expect(await store.sealStoredKeys()).toBe(0);

    const plain = await generateSigningKey(new Date(Date.now() - 1000));
    const old = await generateSigningKey(new Date(Date.now() - 2000));
    const oldCipher = new SigningKeyCipher(oldEncryptionKey);
    await prisma.signingKey.createMany({
      data: [
        { ...plain, publicJwk: { ...plain.publicJwk }, privateJwk: { ...plain.privateJwk } },
        { ...old, publicJwk: { ...old.publicJwk }, privateJwk: { ...oldCipher.seal(old.privateJwk, old.kid) } },
      ],
    });
    expect(await store.sealStoredKeys()).toBe(2);
    const rows = await prisma.signingKey.findMany();
    expect(rows.every((r) => isSealed(r.privateJwk) && r.privateJwk.keyId === cipher.currentKeyId)).toBe(true);
    const keys = await store.listUsable(new Date(0));
    expect(keys.find((k) => k.kid === plain.kid)?.privateJwk?.d).toBe(plain.privateJwk.d);
    expect(keys.find((k) => k.kid === old.kid)?.privateJwk?.d).toBe(old.privateJwk.d);
    await prisma.signingKey.deleteMany({ where: { kid: { in: [plain.kid, old.kid] } } });
  });

  it('keeps a replica signing and publishing while a replica on a new encryption key re-seals and rotates (a rolling restart)', async () => {
    await prisma.signingKey.deleteMany();
    const [before, after] = [randomBytes(32), randomBytes(32)];
    const replica = (cipher: SigningKeyCipher) => {
      const store = new PrismaSigningKeyRepository(prisma, cipher);
      return {
        store,
        keys: new SigningKeyService({ store, clock: systemClock, generate: generateSigningKey, settings }),
      };
    };
    const running = replica(new SigningKeyCipher(before));
    const first = await running.keys.ensureActiveKey();
    expect((await running.keys.signingKey()).kid).toBe(first);

    // The new replica starts with the new key and the old one as previous: every row is re-sealed.
    const started = replica(new SigningKeyCipher(after, [before]));
    expect(await started.store.sealStoredKeys()).toBe(1);
    expect((await running.keys.signingKey()).kid).toBe(first);
    expect((await running.keys.jwks()).keys.map((k) => k.kid)).toEqual([first]);

    // An admin rotates on the new replica: the new active key opens only there. The running one
    // publishes it (tokens of the new replica verify there) and signs with `first`, still published.
    const second = await started.keys.rotate(authOf(staff('admin')));
    expect((await running.keys.jwks()).keys.map((k) => k.kid)).toEqual([second, first]);
    expect((await running.keys.signingKey()).kid).toBe(first);
    expect((await started.keys.signingKey()).kid).toBe(second);
    expect((await started.keys.jwks()).keys.map((k) => k.kid)).toEqual([second, first]);

    // A replica started afresh on the old key alone cannot open the rows: it stops (production).
    await expect(replica(new SigningKeyCipher(before)).store.sealStoredKeys()).rejects.toThrow(/encryption key/);
    await prisma.signingKey.deleteMany();
  });

  it('discards (development) keys sealed under an encryption key it does not have, and keeps the others', async () => {
    const store = new PrismaSigningKeyRepository(prisma, cipher);
    const foreign = await generateSigningKey(new Date(Date.now() - 3000));
    const otherCheckout = new SigningKeyCipher(randomBytes(32));
    await prisma.signingKey.create({
      data: {
        ...foreign,
        publicJwk: { ...foreign.publicJwk },
        privateJwk: { ...otherCheckout.seal(foreign.privateJwk, foreign.kid) },
      },
    });
    await expect(store.sealStoredKeys()).rejects.toThrow(/encryption key/);
    const before = await prisma.signingKey.count();
    expect(await store.discardUnreadableKeys()).toEqual([foreign.kid]);
    expect(await prisma.signingKey.count()).toBe(before - 1);
    expect(await store.sealStoredKeys()).toBe(0);
    expect(await store.discardUnreadableKeys()).toEqual([]);
  });
});

describe('campus repository', () => {
  it('answers a room number written past its check (a seed, plain SQL) as AUTH_ROOM_NUMBER_TAKEN, adding nothing', async () => {
    // Another writer's room 4999, not committed yet: addRooms's check cannot see it, its insert waits
    // on the unique index (building_code, number), and fails once that room commits.
    const other = await pool.connect();
    try {
      await other.query('BEGIN');
      await other.query(
        `INSERT INTO rooms (id, building_code, entrance, floor, number) VALUES (gen_random_uuid(), '9', 4, 9, '4999')`,
      );
      const adding = campus
        .addRooms({
          building: '9',
          buildingName: 'Корпус 9',
          entrance: 6,
          rooms: [
            { number: '6101', floor: 1, capacity: 2 },
            { number: '4999', floor: 9, capacity: 2 },
          ],
        })
        .catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query('COMMIT');
      const error = await adding;
      expect(error).toBeInstanceOf(DomainError);
      expect(error).toMatchObject({ code: 'AUTH_ROOM_NUMBER_TAKEN', details: { building: '9', numbers: ['4999'] } });
    } finally {
      other.release();
    }
    expect((await campus.listBuildings()).find((b) => b.code === '9')).toMatchObject({
      floors: 5,
      entrances: [1, 2, 3, 4],
    });
    expect(await prisma.room.count({ where: { buildingCode: '9', number: '6101' } })).toBe(0);
  });
});
