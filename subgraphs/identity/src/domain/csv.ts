// CSV output per RFC 4180: CRLF line ends; a field containing the separator, a quote, CR or LF is
// quoted, with quotes doubled. A whole document starts with a UTF-8 byte order mark.

export type CsvValue = string | number | boolean | null | undefined;

/** A comma (RFC 4180), or the semicolon Excel splits on where the decimal mark is a comma (Russia). */
export type CsvSeparator = ',' | ';';

/**
 * Spreadsheets execute cells that start with = + - @ (CSV injection). Such text gets a leading
 * apostrophe; a plain signed number (e.g. the phone "+79001234567") is left as it is.
 */
function neutralizeFormula(text: string): string {
  if (/^[=@\t\r]/.test(text)) return `'${text}`;
  if (/^[+-]/.test(text) && !/^[+-]\d+$/.test(text)) return `'${text}`;
  return text;
}

export function csvField(value: CsvValue, separator: CsvSeparator = ','): string {
  if (value === null || value === undefined) return '';
  const text = neutralizeFormula(String(value));
  const needsQuotes = /["\r\n]/.test(text) || text.includes(separator);
  return needsQuotes ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(values: readonly CsvValue[], separator: CsvSeparator = ','): string {
  return values.map((value) => csvField(value, separator)).join(separator);
}

/**
 * Excel guesses a CSV's encoding from a byte order mark and, without one, reads UTF-8 as the
 * locale's code page (cp1251 in Russia), garbling Cyrillic names. The import skips it.
 */
export const UTF8_BOM = '\uFEFF';

/** A whole document: the BOM, the header row, then one line per record, each ending in CRLF. */
export function toCsv<T>(
  columns: ReadonlyArray<{ header: string; value: (record: T) => CsvValue }>,
  records: readonly T[],
  separator: CsvSeparator = ',',
): string {
  const line = (values: readonly CsvValue[]) => csvLine(values, separator);
  const lines = [line(columns.map((c) => c.header)), ...records.map((r) => line(columns.map((c) => c.value(r))))];
  return UTF8_BOM + lines.map((line) => `${line}\r\n`).join('');
}
