// scripts/bootstrap.ts against a migrated identity database: the first admin can sign in with the
// password (argon2, as identity verifies), a second run refuses, and the layout lands in its tables.
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '@campus/testkit';
import { argon2Hasher } from '../../../subgraphs/identity/src/adapters/argon2-hasher';
import { bootstrap, planCampus, type BootstrapOptions } from '../../bootstrap';

const layout = {
  buildings: [
    {
      code: '5',
      name: 'Корпус 5',
      entrances: [{ number: 1, floors: [{ number: 3, rooms: [{ number: '131', capacity: 2 }] }] }],
    },
  ],
};

describe('bootstrap', () => {
  let database: TestDatabase;
  let db: Client;
  beforeAll(async () => {
    database = await createTestDatabase('identity');
    db = new Client({ connectionString: database.url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await database.drop();
  });

  const options = (o: Partial<BootstrapOptions> = {}): BootstrapOptions => ({
    adminEmail: 'root@campus.example',
    force: false,
    ifAbsent: false,
    ...o,
  });
  const passwordHash = async (email: string) =>
    (await db.query<{ password_hash: string }>('SELECT password_hash FROM users WHERE email = $1', [email])).rows[0]
      ?.password_hash;

  it('creates the first admin with a generated password and imports the layout', async () => {
    const result = await bootstrap(db, options(), planCampus(layout));
    expect(result).toMatchObject({ admin: 'created', campus: { buildings: 1, entrances: 1, rooms: 1 } });
    expect(
      await argon2Hasher.verify(
        (await passwordHash('root@campus.example')) as string,
        result.generatedPassword as string,
      ),
    ).toBe(true);
    const roles = await db.query(
      "SELECT 1 FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.email = $1 AND r.role = 'admin'",
      ['root@campus.example'],
    );
    expect(roles.rowCount).toBe(1);
    const rooms = await db.query('SELECT building_code, entrance, floor, number, capacity FROM rooms');
    expect(rooms.rows).toEqual([{ building_code: '5', entrance: 1, floor: 3, number: '131', capacity: 2 }]);
  });

  it('refuses a second admin, does nothing with --if-absent, and resets with --force', async () => {
    await expect(bootstrap(db, options({ adminEmail: 'other@campus.example' }))).rejects.toThrow(
      /admin exists already/,
    );
    expect(await bootstrap(db, options({ ifAbsent: true }), planCampus(layout))).toEqual({
      admin: 'kept',
      campus: { buildings: 0, entrances: 0, rooms: 0 },
    });
    const forced = await bootstrap(db, options({ force: true, password: 'a chosen passphrase' }));
    expect(forced).toEqual({ admin: 'updated' });
    expect(
      await argon2Hasher.verify((await passwordHash('root@campus.example')) as string, 'a chosen passphrase'),
    ).toBe(true);
  });
});
