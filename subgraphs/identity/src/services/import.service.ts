// Importing a cohort of students from CSV. Every valid row is created in its own transaction, so a
// bad row is reported and writes nothing while the others are imported.
import { DomainError, requireRole, type AuthContext } from '@campus/platform';
import type { RoomRecord } from '../domain/campus';
import { emailTaken, IdentityErrors, unknownRoom } from '../domain/errors';
import { assertPasswordPolicy, generatePassword } from '../domain/passwords';
import type { ImportReport, ImportRowError, StudentCsvRow, StudentImportData } from '../domain/student-import';
import { assertParentContactOfMinor, assertStayDates, type UserRecord } from '../domain/users';
import type { CampusStore, PasswordHasher, StudentFileReader, UserStore } from './ports';

export interface StudentImportDeps {
  users: UserStore;
  campus: CampusStore;
  hasher: PasswordHasher;
  /** The file format is input parsing (schemas/import-csv.ts); it is read after the caller is authorised. */
  readFile: StudentFileReader;
  /** Password hashes computed in parallel (argon2 runs on the libuv pool). */
  hashConcurrency?: number;
}

interface Candidate {
  row: number;
  student: StudentImportData;
}

const roomKey = (building: string, room: string) => `${building}\u0000${room}`;

export class StudentImportService {
  constructor(private readonly deps: StudentImportDeps) {}

  async importStudents(auth: AuthContext | null | undefined, csv: string): Promise<ImportReport> {
    requireRole(auth, 'admin');
    const rows = this.deps.readFile(csv);
    const errors: ImportRowError[] = rows.flatMap((r) => (r.error ? [{ row: r.row, email: r.email, ...r.error }] : []));
    const reject = (c: Candidate, error: DomainError) =>
      errors.push({ row: c.row, email: c.student.email, code: error.code, message: error.message });

    let candidates = this.firstOccurrences(validRows(rows), errors);
    candidates = await this.withFreeEmails(candidates, reject);
    const rooms = await this.roomsOf(candidates);
    candidates = candidates.filter((c) => this.passesRowRules(c, rooms, reject));
    const users = await this.createAll(candidates, rooms, reject);
    errors.sort((a, b) => a.row - b.row);
    return { total: rows.length, imported: users.length, failed: errors.length, errors, users };
  }

  /** A repeated e-mail: the first row wins, later ones are errors. */
  private firstOccurrences(candidates: Candidate[], errors: ImportRowError[]): Candidate[] {
    const firstRow = new Map<string, number>();
    return candidates.filter((c) => {
      const first = firstRow.get(c.student.email);
      if (first === undefined) {
        firstRow.set(c.student.email, c.row);
        return true;
      }
      errors.push({
        row: c.row,
        email: c.student.email,
        code: IdentityErrors.codes.DUPLICATE_EMAIL_IN_FILE,
        message: `The e-mail ${c.student.email} is already used on row ${first} of this file`,
      });
      return false;
    });
  }

  private async withFreeEmails(
    candidates: Candidate[],
    reject: (c: Candidate, e: DomainError) => void,
  ): Promise<Candidate[]> {
    const taken = new Set(await this.deps.users.existingEmails(candidates.map((c) => c.student.email)));
    return candidates.filter((c) => {
      if (!taken.has(c.student.email)) return true;
      reject(c, emailTaken(c.student.email));
      return false;
    });
  }

  private async roomsOf(candidates: Candidate[]): Promise<Map<string, RoomRecord>> {
    const refs = candidates.flatMap((c) => (c.student.residence ? [c.student.residence] : []));
    const rooms = refs.length > 0 ? await this.deps.campus.findRooms(refs) : [];
    return new Map(rooms.map((r) => [roomKey(r.building, r.number), r]));
  }

  private passesRowRules(
    c: Candidate,
    rooms: Map<string, RoomRecord>,
    reject: (c: Candidate, e: DomainError) => void,
  ): boolean {
    try {
      const { residence, password } = c.student;
      if (residence && !rooms.has(roomKey(residence.building, residence.room))) throw unknownRoom(residence);
      if (password !== null) assertPasswordPolicy(password);
      assertStayDates(c.student.checkInDate, c.student.checkOutDate);
      assertParentContactOfMinor(c.student.isMinor, c.student.parentContact);
      return true;
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      reject(c, error);
      return false;
    }
  }

  /** Rows are written one by one (each its own transaction); a refused row is reported. */
  private async createAll(
    candidates: Candidate[],
    rooms: Map<string, RoomRecord>,
    reject: (c: Candidate, e: DomainError) => void,
  ): Promise<UserRecord[]> {
    const hashes = await mapWithLimit(candidates, this.deps.hashConcurrency ?? 4, (c) =>
      this.deps.hasher.hash(c.student.password ?? generatePassword()),
    );
    const created: UserRecord[] = [];
    for (const [index, c] of candidates.entries()) {
      const { residence, password: _password, ...student } = c.student;
      const room = residence ? rooms.get(roomKey(residence.building, residence.room)) : undefined;
      try {
        created.push(
          await this.deps.users.create({
            ...student,
            passwordHash: hashes[index] as string,
            roles: ['student'],
            roomId: room?.id ?? null,
            entrances: [],
          }),
        );
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        reject(c, error);
      }
    }
    return created;
  }
}

function validRows(rows: StudentCsvRow[]): Candidate[] {
  return rows.flatMap((r) => (r.student ? [{ row: r.row, student: r.student }] : []));
}

/** Maps with at most `limit` calls in flight; results keep the input order. */
async function mapWithLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
