// The first start of a real campus (instead of the demo seed): creates the first admin and imports
// the campus layout into identity's database.
//   npm run bootstrap -- --admin-email admin@example.org [--password …] [--campus deploy/campus.example.json]
//                        [--force] [--if-absent]
// Reads DATABASE_URL (identity's database; default the local campus_identity). Without --password
// (or BOOTSTRAP_ADMIN_PASSWORD) a random password is generated and printed once. An existing admin
// makes it refuse (exit 1) unless --force (then this e-mail gets the password and the admin role) or
// --if-absent (then it does nothing, exit 0: the compose job runs on every `up`).
// Layout file: { "buildings": [{ "code", "name", "entrances": [{ "number", "floors": [{ "number",
// "rooms": [{ "number", "capacity" }] }] }] }] } (see deploy/campus.example.json). Buildings,
// entrances and rooms already present are kept as they are.
import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { Client } from 'pg';
// identity's own hasher (argon2id), so identity verifies what is written here.
import { argon2Hasher } from '../subgraphs/identity/src/adapters/argon2-hasher';

export const MIN_ADMIN_PASSWORD_LENGTH = 12;

export interface BootstrapOptions {
  adminEmail: string;
  password?: string;
  campusFile?: string;
  force: boolean;
  ifAbsent: boolean;
}

/** Command-line flags, with BOOTSTRAP_ADMIN_EMAIL / BOOTSTRAP_ADMIN_PASSWORD as fallbacks. */
export function parseBootstrapArgs(argv: readonly string[], env: Record<string, string | undefined>): BootstrapOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    if (i < 0) return undefined;
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
    return v;
  };
  const known = new Set(['--admin-email', '--password', '--campus', '--force', '--if-absent']);
  const unknown = argv.filter((a) => a.startsWith('--') && !known.has(a));
  if (unknown.length) throw new Error(`unknown option ${unknown.join(', ')}`);
  const adminEmail = (value('--admin-email') ?? env.BOOTSTRAP_ADMIN_EMAIL ?? '').trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail))
    throw new Error('--admin-email (or BOOTSTRAP_ADMIN_EMAIL) must be an e-mail address');
  const password = value('--password') || env.BOOTSTRAP_ADMIN_PASSWORD || undefined;
  if (password !== undefined && password.length < MIN_ADMIN_PASSWORD_LENGTH) {
    throw new Error(`the admin password needs at least ${MIN_ADMIN_PASSWORD_LENGTH} characters`);
  }
  return {
    adminEmail,
    password,
    campusFile: value('--campus'),
    force: argv.includes('--force'),
    ifAbsent: argv.includes('--if-absent'),
  };
}

export interface RoomRow {
  id: string;
  buildingCode: string;
  entrance: number;
  floor: number;
  number: string;
  capacity: number;
}

export interface CampusRows {
  buildings: Array<{ code: string; name: string; floors: number }>;
  entrances: Array<{ buildingCode: string; number: number }>;
  rooms: RoomRow[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown, where: string): unknown[] => {
  if (!Array.isArray(v) || v.length === 0) throw new Error(`${where} must be a non-empty array`);
  return v;
};
const positiveInt = (v: unknown, where: string): number => {
  if (!Number.isInteger(v) || (v as number) < 1) throw new Error(`${where} must be a positive integer`);
  return v as number;
};
const text = (v: unknown, where: string): string => {
  if (typeof v !== 'string' || !v.trim() || v.length > 100) throw new Error(`${where} must be a non-empty string`);
  return v.trim();
};

/** Validates the layout file and flattens it into identity's rows; every problem names its path. */
export function planCampus(layout: unknown): CampusRows {
  if (!isRecord(layout)) throw new Error('the campus file must be a JSON object with "buildings"');
  const rows: CampusRows = { buildings: [], entrances: [], rooms: [] };
  const roomNumbers = new Set<string>();
  list(layout.buildings, 'buildings').forEach((b, bi) => {
    const at = `buildings[${bi}]`;
    if (!isRecord(b)) throw new Error(`${at} must be an object`);
    const code = text(b.code, `${at}.code`);
    if (rows.buildings.some((x) => x.code === code)) throw new Error(`${at}.code "${code}" appears twice`);
    let floors = 0;
    list(b.entrances, `${at}.entrances`).forEach((e, ei) => {
      const eat = `${at}.entrances[${ei}]`;
      if (!isRecord(e)) throw new Error(`${eat} must be an object`);
      const entrance = positiveInt(e.number, `${eat}.number`);
      if (rows.entrances.some((x) => x.buildingCode === code && x.number === entrance)) {
        throw new Error(`${eat}.number ${entrance} appears twice in building ${code}`);
      }
      rows.entrances.push({ buildingCode: code, number: entrance });
      list(e.floors, `${eat}.floors`).forEach((f, fi) => {
        const fat = `${eat}.floors[${fi}]`;
        if (!isRecord(f)) throw new Error(`${fat} must be an object`);
        const floor = positiveInt(f.number, `${fat}.number`);
        floors = Math.max(floors, floor);
        list(f.rooms, `${fat}.rooms`).forEach((r, ri) => {
          const rat = `${fat}.rooms[${ri}]`;
          if (!isRecord(r)) throw new Error(`${rat} must be an object`);
          const number = text(r.number, `${rat}.number`);
          if (roomNumbers.has(`${code}/${number}`))
            throw new Error(`${rat}.number "${number}" appears twice in building ${code}`);
          roomNumbers.add(`${code}/${number}`);
          rows.rooms.push({
            id: randomUUID(),
            buildingCode: code,
            entrance,
            floor,
            number,
            capacity: positiveInt(r.capacity, `${rat}.capacity`),
          });
        });
      });
    });
    rows.buildings.push({ code, name: text(b.name, `${at}.name`), floors });
  });
  return rows;
}

/** A password an operator can type: 24 characters of base64url (144 bits). */
export const randomPassword = (): string => randomBytes(18).toString('base64url');

export interface BootstrapResult {
  admin: 'created' | 'updated' | 'kept';
  generatedPassword?: string;
  campus?: { buildings: number; entrances: number; rooms: number };
}

/** Writes the admin and the layout in one transaction. */
export async function bootstrap(db: Client, options: BootstrapOptions, campus?: CampusRows): Promise<BootstrapResult> {
  await db.query('BEGIN');
  try {
    // One bootstrap at a time: two compose jobs must not both create "the first" admin.
    await db.query("SELECT pg_advisory_xact_lock(hashtext('campus-bootstrap'))");
    const admins = await db.query<{ email: string }>(
      "SELECT u.email FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'admin'",
    );
    let result: BootstrapResult;
    if (admins.rowCount && !options.force) {
      if (!options.ifAbsent) {
        throw new Error(
          `an admin exists already (${admins.rows.map((r) => r.email).join(', ')}); use --force to set ${options.adminEmail}'s password anyway`,
        );
      }
      result = { admin: 'kept' };
    } else {
      const generatedPassword = options.password ? undefined : randomPassword();
      const passwordHash = await argon2Hasher.hash(options.password ?? (generatedPassword as string));
      const user = await db.query<{ id: string; inserted: boolean }>(
        `INSERT INTO users (id, email, password_hash, first_name, last_name, updated_at)
         VALUES ($1, $2, $3, 'Admin', 'Campus', now())
         ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, is_active = true,
           failed_login_attempts = 0, locked_until = NULL, updated_at = now()
         RETURNING id, (xmax = 0) AS inserted`,
        [randomUUID(), options.adminEmail, passwordHash],
      );
      const row = user.rows[0] as { id: string; inserted: boolean };
      await db.query("INSERT INTO user_roles (user_id, role) VALUES ($1, 'admin') ON CONFLICT DO NOTHING", [row.id]);
      result = { admin: row.inserted ? 'created' : 'updated', ...(generatedPassword ? { generatedPassword } : {}) };
    }
    if (campus) result.campus = await importCampus(db, campus);
    await db.query('COMMIT');
    return result;
  } catch (error) {
    await db.query('ROLLBACK');
    throw error;
  }
}

/** Inserts what is not there yet; returns how many rows of each kind were new. */
async function importCampus(db: Client, campus: CampusRows): Promise<NonNullable<BootstrapResult['campus']>> {
  let buildings = 0;
  let entrances = 0;
  let rooms = 0;
  for (const b of campus.buildings) {
    const r = await db.query(
      `INSERT INTO buildings (code, name, floors) VALUES ($1, $2, $3)
       ON CONFLICT (code) DO UPDATE SET floors = GREATEST(buildings.floors, EXCLUDED.floors)
       RETURNING (xmax = 0) AS inserted`,
      [b.code, b.name, b.floors],
    );
    if ((r.rows[0] as { inserted: boolean }).inserted) buildings++;
  }
  for (const e of campus.entrances) {
    const r = await db.query('INSERT INTO entrances (building_code, number) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
      e.buildingCode,
      e.number,
    ]);
    entrances += r.rowCount ?? 0;
  }
  for (const room of campus.rooms) {
    const r = await db.query(
      `INSERT INTO rooms (id, building_code, entrance, floor, number, capacity) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (building_code, number) DO NOTHING`,
      [room.id, room.buildingCode, room.entrance, room.floor, room.number, room.capacity],
    );
    rooms += r.rowCount ?? 0;
  }
  return { buildings, entrances, rooms };
}

async function main(): Promise<void> {
  const options = parseBootstrapArgs(process.argv.slice(2), process.env);
  const campus = options.campusFile
    ? planCampus(JSON.parse(fs.readFileSync(options.campusFile, 'utf8')) as unknown)
    : undefined;
  const db = new Client({
    connectionString: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/campus_identity',
  });
  await db.connect();
  try {
    const result = await bootstrap(db, options, campus);
    if (result.admin === 'kept') console.log('bootstrap: an admin exists already; admin left as it is');
    else console.log(`bootstrap: admin ${options.adminEmail} ${result.admin}`);
    if (result.generatedPassword) {
      console.log(`bootstrap: its password (shown once, change it after signing in): ${result.generatedPassword}`);
    }
    if (result.campus) console.log(`bootstrap: campus imported, new rows: ${JSON.stringify(result.campus)}`);
  } finally {
    await db.end();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`bootstrap failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
