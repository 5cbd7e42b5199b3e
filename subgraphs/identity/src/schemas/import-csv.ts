// The student import file (importStudents). One header row, then one student per row.
//
// Columns (header names are case-insensitive; "last_name" or "Last Name" also match lastName):
//   email        required, unique (in the file and among existing users)
//   lastName     required
//   firstName    required
//   patronymic   optional
//   phone        optional, Russian number (10 digits, or 11 starting with 7/8), stored as +7XXXXXXXXXX
//   building     optional, with room: where the student lives (the room must exist;
//   room         entrance and floor come from the room)
//   isMinor      optional: true/false, 1/0, yes/no, да/нет (default false)
//   checkInDate  optional, YYYY-MM-DD or DD.MM.YYYY
//   checkOutDate optional, same formats, not before checkInDate
//   parentName   with parentPhone: the parent's contact; required for a minor (isMinor true),
//   parentPhone  optional otherwise
//   password     optional; without it the account gets a random password nobody knows, and an
//                admin sets one later (changePassword)
// The delimiter is a comma, or a semicolon when the header uses semicolons (spreadsheets in the
// Russian locale export so). A UTF-8 byte order mark is ignored. Imported users get the student role.
import { validationError } from '@campus/platform';
import { parse } from 'csv-parse/sync';
import { z } from 'zod';
import { MAX_IMPORT_ROWS } from '../domain/limits';
import type { StudentCsvRow, StudentImportData } from '../domain/student-import';
import {
  buildingCodeSchema,
  calendarDateSchema,
  emailSchema,
  nameSchema,
  normalizeEmail,
  phoneSchema,
  roomNumberSchema,
} from './common';

export const STUDENT_CSV_COLUMNS = [
  'email',
  'lastName',
  'firstName',
  'patronymic',
  'phone',
  'building',
  'room',
  'isMinor',
  'checkInDate',
  'checkOutDate',
  'parentName',
  'parentPhone',
  'password',
] as const;
type Column = (typeof STUDENT_CSV_COLUMNS)[number];
const REQUIRED_COLUMNS: readonly Column[] = ['email', 'lastName', 'firstName'];

const blankAsAbsent = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);
const optional = <S extends z.ZodType>(schema: S) => z.preprocess(blankAsAbsent, schema.optional());

const TRUE_WORDS = ['true', '1', 'yes', 'y', 'да'];
const FALSE_WORDS = ['false', '0', 'no', 'n', 'нет'];
const yesNoSchema = z.string().transform((raw, ctx) => {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.includes(word)) return true;
  if (FALSE_WORDS.includes(word)) return false;
  ctx.addIssue({ code: 'custom', message: 'must be true or false (1/0, yes/no, да/нет)' });
  return z.NEVER;
});

const rowSchema = z
  .object({
    email: emailSchema,
    lastName: nameSchema,
    firstName: nameSchema,
    patronymic: optional(nameSchema),
    phone: optional(phoneSchema),
    building: optional(buildingCodeSchema),
    room: optional(roomNumberSchema),
    isMinor: optional(yesNoSchema),
    checkInDate: optional(calendarDateSchema),
    checkOutDate: optional(calendarDateSchema),
    parentName: optional(nameSchema),
    parentPhone: optional(phoneSchema),
    password: optional(z.string()),
  })
  .superRefine((row, ctx) => {
    if ((row.building === undefined) !== (row.room === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [row.building ? 'room' : 'building'],
        message: 'building and room go together',
      });
    }
    if ((row.parentName === undefined) !== (row.parentPhone === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [row.parentName ? 'parentPhone' : 'parentName'],
        message: 'parentName and parentPhone go together',
      });
    }
    // A minor's parent is whom the night duty administrator calls (users.ts assertParentContactOfMinor).
    if (row.isMinor && row.parentName === undefined && row.parentPhone === undefined) {
      for (const field of ['parentName', 'parentPhone'] as const) {
        ctx.addIssue({ code: 'custom', path: [field], message: 'required for a minor (isMinor)' });
      }
    }
    if (row.checkInDate && row.checkOutDate && row.checkOutDate < row.checkInDate) {
      ctx.addIssue({ code: 'custom', path: ['checkOutDate'], message: 'must not be before checkInDate' });
    }
  })
  .transform(
    (row): StudentImportData => ({
      email: row.email,
      firstName: row.firstName,
      lastName: row.lastName,
      patronymic: row.patronymic ?? null,
      phone: row.phone ?? null,
      residence: row.building && row.room ? { building: row.building, room: row.room } : null,
      isMinor: row.isMinor ?? false,
      checkInDate: row.checkInDate ?? null,
      checkOutDate: row.checkOutDate ?? null,
      parentContact: row.parentName && row.parentPhone ? { name: row.parentName, phone: row.parentPhone } : null,
      password: row.password ?? null,
    }),
  );

const headerKey = (name: string): string => name.toLowerCase().replace(/[\s_\-.]/g, '');
const COLUMN_BY_KEY = new Map<string, Column>(STUDENT_CSV_COLUMNS.map((c) => [headerKey(c), c]));

function detectDelimiter(text: string): ',' | ';' {
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  return header.includes(';') && !header.includes(',') ? ';' : ',';
}

interface CsvRecord {
  cells: string[];
  /** Line where the record ends (a quoted field may span lines). */
  line: number;
}

function readRecords(text: string): CsvRecord[] {
  try {
    const records = parse(text, {
      bom: true,
      delimiter: detectDelimiter(text),
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
      info: true,
    }) as Array<{ record: string[]; info: { lines: number } }>;
    return records.map(({ record, info }) => ({ cells: record, line: info.lines }));
  } catch (error) {
    throw validationError(`The CSV cannot be read: ${(error as Error).message}`);
  }
}

/** Maps header cells to known columns; unknown or missing required columns fail the whole file. */
function columnsOf(header: readonly string[]): Column[] {
  const columns = header.map((cell) => COLUMN_BY_KEY.get(headerKey(cell)));
  const unknown = header.filter((_, i) => columns[i] === undefined);
  if (unknown.length > 0) {
    throw validationError(
      `Unknown CSV columns: ${unknown.join(', ')}. Known columns: ${STUDENT_CSV_COLUMNS.join(', ')}`,
      { unknown },
    );
  }
  const known = columns as Column[];
  const missing = REQUIRED_COLUMNS.filter((c) => !known.includes(c));
  if (missing.length > 0) throw validationError(`Missing CSV columns: ${missing.join(', ')}`, { missing });
  const repeated = known.filter((c, i) => known.indexOf(c) !== i);
  if (repeated.length > 0) throw validationError(`Repeated CSV columns: ${repeated.join(', ')}`, { repeated });
  return known;
}

const describeIssues = (error: z.ZodError): string =>
  error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');

function parseRow(columns: readonly Column[], cells: readonly string[], row: number): StudentCsvRow {
  const rawEmail = cells[columns.indexOf('email')];
  const email = rawEmail ? normalizeEmail(rawEmail) : null;
  if (cells.length !== columns.length) {
    const message = `The row has ${cells.length} fields but the header has ${columns.length}`;
    return { row, email, error: { code: 'VALIDATION_ERROR', message } };
  }
  const record = Object.fromEntries(columns.map((c, i) => [c, cells[i]]));
  const result = rowSchema.safeParse(record);
  if (!result.success)
    return { row, email, error: { code: 'VALIDATION_ERROR', message: describeIssues(result.error) } };
  return { row, email: result.data.email, student: result.data };
}

/**
 * Reads an import file into rows. A file-level problem (unreadable CSV, bad header, too many rows)
 * is a VALIDATION_ERROR; a bad row is reported on that row only.
 */
export function parseStudentCsv(text: string): StudentCsvRow[] {
  const [header, ...records] = readRecords(text);
  if (!header) throw validationError('The CSV is empty; it needs a header row and one row per student');
  const columns = columnsOf(header.cells);
  if (records.length > MAX_IMPORT_ROWS) {
    throw validationError(`At most ${MAX_IMPORT_ROWS} students per import; split the file`, { rows: records.length });
  }
  return records.map((record) => parseRow(columns, record.cells, record.line));
}
