// CSV output per RFC 4180: CRLF line ends; a field containing a comma, quote, CR or LF is quoted,
// with quotes doubled.

export type CsvValue = string | number | boolean | null | undefined;

/**
 * Spreadsheets execute cells that start with = + - @ (CSV injection). Such text gets a leading
 * apostrophe; a plain signed number (e.g. the phone "+79001234567") is left as it is.
 */
function neutralizeFormula(text: string): string {
  if (/^[=@\t\r]/.test(text)) return `'${text}`;
  if (/^[+-]/.test(text) && !/^[+-]\d+$/.test(text)) return `'${text}`;
  return text;
}

export function csvField(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  const text = neutralizeFormula(String(value));
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[]): string {
  return values.map(csvField).join(',');
}

/** A whole document: the header row, then one line per record, each ending in CRLF. */
export function toCsv<T>(
  columns: ReadonlyArray<{ header: string; value: (record: T) => CsvValue }>,
  records: readonly T[],
): string {
  const lines = [csvLine(columns.map((c) => c.header)), ...records.map((r) => csvLine(columns.map((c) => c.value(r))))];
  return lines.map((line) => `${line}\r\n`).join('');
}
