// A cohort import: the rows read from the file (schemas/import-csv.ts) and the report of the import.
import type { UserRecord } from './users';

/** One valid row of an import file. */
export interface StudentImportData {
  email: string;
  firstName: string;
  lastName: string;
  patronymic: string | null;
  phone: string | null;
  residence: { building: string; room: string } | null;
  isMinor: boolean;
  checkInDate: Date | null;
  checkOutDate: Date | null;
  parentContact: { name: string; phone: string } | null;
  password: string | null;
}

/** One data row: either a valid student or why it is not one. */
export interface StudentCsvRow {
  /** The line of the file the row is on, the header being line 1 (a spreadsheet's row number). */
  row: number;
  email: string | null;
  student?: StudentImportData;
  error?: { code: string; message: string };
}

export interface ImportRowError {
  row: number;
  email: string | null;
  code: string;
  message: string;
}

export interface ImportReport {
  total: number;
  imported: number;
  failed: number;
  errors: ImportRowError[];
  users: UserRecord[];
}
